import ArgumentParser
import Foundation
import Logging
import RegionRisk
import RegionRiskPostgres
import RegionRiskFetch

/// `regionrisk fetch`: brings fresh incidents from a data provider's API into the store.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch fresh incidents from a provider's API into the incident database (nightly, from cron).",
        subcommands: [FetchACLEDCommand.self])
}

/// `regionrisk fetch acled`: ACLED's API → the same store ingest as `regionrisk ingest acled.csv`.
struct FetchACLEDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acled",
        abstract: "Fetch ACLED events for a country (OAuth with your ACLED account) and store them like an ingest.",
        discussion: """
            Signs in with ACLED's OAuth password grant, reads every page of events for --country, then the \
            deleted-events list, and stores them in one transaction exactly as `regionrisk ingest` stores an ACLED \
            export (same area filter, rejects file and summary; deleted events are removed). Without --since it \
            continues from the latest ACLED timestamp of the previous fetch recorded in the store (the first fetch \
            reads the whole country). 429 and 5xx answers are retried with exponential backoff (Retry-After honoured).

            Credentials: ACLED_EMAIL and ACLED_PASSWORD, or --credentials FILE holding ACLED_EMAIL=… and \
            ACLED_PASSWORD=… lines, readable by its owner only (chmod 600). The password is never printed or logged.

            Exit status: 0 stored (or nothing new); 1 failure (credentials refused, API unreachable after retries, \
            store unusable; nothing stored); 75 another ingest held the store past --wait.
            """)

    @Option(help: "Country, as ACLED names it (e.g. Mali, \"Burkina Faso\").")
    var country: String

    @Option(help: ArgumentHelp("Only events on or after this day (YYYY-MM-DD, today or yesterday, UTC); without it the fetch continues from the previous one.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp(
        "Incident database (default: $REGIONRISK_DB, else $XDG_DATA_HOME/regionrisk/incidents.sqlite, else ~/.local/share/regionrisk/incidents.sqlite).",
        valueName: "path"))
    var db: String?

    @Option(name: .customLong("page-size"), help: "Rows per API page (ACLED's limit).")
    var pageSize: Int = 5000

    @Option(name: .customLong("api-base"), help: ArgumentHelp("API root (for tests and mirrors).", valueName: "url"))
    var apiBase: String = ACLEDAPI.defaultBase.absoluteString

    @Option(help: ArgumentHelp("File with ACLED_EMAIL=… and ACLED_PASSWORD=… lines, mode 0600 (default: those environment variables).", valueName: "file"))
    var credentials: String?

    @Option(help: ArgumentHelp("Where to write rejected rows (default: acled-api-COUNTRY.rejects.csv beside the database).", valueName: "path"))
    var rejects: String?

    @OptionGroup var area: AreaOptions

    @Option(name: .customLong("area-tolerance-km"), help: "Events this close to the area's outline count as inside.")
    var areaToleranceKm: Double = IngestCommand.defaultAreaToleranceKm

    @Option(help: ArgumentHelp("Seconds to wait for another ingest into the same database to finish.", valueName: "seconds"))
    var wait: Double = 60

    @Option(name: .customLong("max-attempts"), help: .hidden) var maxAttempts: Int = 5
    @Option(name: .customLong("backoff-seconds"), help: .hidden) var backoffSeconds: Double = 2

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        try DateOption.validate(since, option: "--since")
        try OptionLimits.check("--page-size", pageSize, in: 1...100_000)
        try OptionLimits.check("--wait", wait, in: ParameterLimits.lockTimeoutSeconds, unit: "s")
        try OptionLimits.check("--area-tolerance-km", areaToleranceKm, in: 0...1_000, unit: "km")
        try OptionLimits.check("--max-attempts", maxAttempts, in: 1...20)
        try OptionLimits.check("--backoff-seconds", backoffSeconds, in: 0...600, unit: "s")
        guard let url = URL(string: apiBase), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ValidationError("--api-base \(apiBase) is not an http(s) URL")
        }
        if country.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--country is empty; give ACLED's country name, e.g. --country Mali") }
    }

    func run() throws {
        logging.bootstrap()
        let log = Console.standard
        let account: ACLEDCredentials
        do { account = try credentials.map { try ACLEDCredentials.load(from: URL(fileURLWithPath: $0)) } ?? ACLEDCredentials.fromEnvironment() } catch {
            throw CommandFailure.failed(error.localizedDescription, status: ExitStatus.failure)
        }
        let dbPath = db ?? IncidentStores.defaultLocation()
        let inArea = try IngestCommand.areaFilter(area: area, toleranceKm: areaToleranceKm)
        let store: any IncidentStoring
        do { store = try IncidentStores.open(dbPath, busyTimeout: wait) } catch let e as IncidentStoreError {
            throw CommandFailure.failed(e.localizedDescription, status: e.isBusy ? ExitStatus.busy : ExitStatus.failure)
        }

        var query = ACLEDAPI.Query(country: country, since: since.flatMap(DateOption.parse))
        if query.since == nil {
            query.updatedSince = try store.ingestRuns().lazy.compactMap { ACLEDExportFile.latestTimestamp(inFileName: $0.fileName, country: country) }.first
        }
        let start = query.since.map { "events since \($0)" } ?? query.updatedSince.map { "rows changed since ACLED timestamp \($0) (the previous fetch)" } ?? "all events (first fetch)"
        log.info("fetching ACLED \(country): \(start), \(pageSize) per page, from \(apiBase)", event: "fetch_started",
                 ["country": .string(country), "api_base": .string(apiBase), "page_size": .stringConvertible(pageSize)])

        var api = ACLEDAPI(base: URL(string: apiBase)!, pageSize: pageSize)
        (api.maxAttempts, api.initialBackoffSeconds) = (maxAttempts, backoffSeconds)
        let fetched: ACLEDAPI.Result
        do {
            fetched = try Blocking.run { [query, api] in
                try await api.fetch(query, credentials: account,
                    onPage: { endpoint, page, rows in
                        log.info("\(endpoint) page \(page): \(rows) rows", event: "page_fetched",
                                 ["endpoint": .string(endpoint), "page": .stringConvertible(page), "rows": .stringConvertible(rows)])
                    },
                    onRetry: { endpoint, status, seconds in
                        log.warning("\(endpoint): \(status.map { "HTTP \($0)" } ?? "no answer"); retrying in \(String(format: "%.1f", seconds)) s",
                                    event: "request_retried",
                                    ["endpoint": .string(endpoint), "status": status.map { .stringConvertible($0) } ?? .string("none"),
                                     "wait_seconds": .stringConvertible(seconds)])
                    })
            }
        } catch {
            throw CommandFailure.failed(error.localizedDescription, status: ExitStatus.failure)
        }
        for (name, n) in [("pages", fetched.eventPages), ("rows_fetched", fetched.rows.count), ("deleted_ids", fetched.deletedIDs.count),
                          ("retries", fetched.retries)] { Console.run.count(name, n) }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("regionrisk-fetch-\(getpid())-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = ACLEDExportFile.fileName(country: country, latestTimestamp: fetched.latestTimestamp ?? query.updatedSince)
        let eventsFile = folder.appendingPathComponent(name), deletionsFile = folder.appendingPathComponent("deleted.csv")
        try ACLEDExportFile.writeEvents(fetched.rows, to: eventsFile)
        try ACLEDExportFile.writeDeletions(fetched.deletedIDs, to: deletionsFile)

        // Beside a SQLite store; in the current folder for a PostgreSQL one.
        let rejectsFolder = IncidentStores.isPostgreSQL(dbPath) ? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            : URL(fileURLWithPath: dbPath).deletingLastPathComponent()
        let rejectsURL = rejects.map { URL(fileURLWithPath: $0) }
            ?? rejectsFolder.appendingPathComponent(ACLEDExportFile.baseName(country: country) + ".rejects.csv")
        let reader = IncidentFileReader(format: .acled, resolver: IngestCommand.placeNameResolver)
        let summary: IngestSummary
        do {
            summary = try store.ingest(file: eventsFile, reader: reader, areaFilter: inArea, deletions: deletionsFile, strict: false, progress: nil)
        } catch let e as IncidentStoreError {
            throw CommandFailure.failed(e.localizedDescription, status: e.isBusy ? ExitStatus.busy : ExitStatus.failure)
        }
        try IngestCommand.finish(summary, database: dbPath, rejectsURL: rejectsURL, inArea: inArea)
    }
}

/// Runs async work to completion from the synchronous command tree (one fetch per process).
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>(), done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

/// The result handed from the task to the waiting thread (written once, before the signal).
private final class ResultBox<T>: @unchecked Sendable { var result: Result<T, Error>? }
