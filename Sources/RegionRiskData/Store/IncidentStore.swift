import Foundation
import GRDB

/// The embedded incident database: one SQLite file (WAL mode) holding every ingested event,
/// keyed by (source, source event id), with the provenance of each.
///
/// Safe to use from several processes at once: SQLite serialises writers, and a writer that
/// finds the database locked waits up to `busyTimeout` seconds before failing with
/// `IncidentStoreError.busy`. Readers never wait for a writer (WAL).
public final class IncidentStore: Sendable {
    /// The database file.
    public let path: String
    /// The GRDB connection pool, for code that adds its own tables through `IncidentStore.migrator`.
    package let database: DatabasePool
    /// Seconds a write waits for another process's write to finish.
    public let busyTimeout: TimeInterval

    /// Opens (and, when `create` is true, creates with its folders) the database at `path`,
    /// bringing its schema up to date.
    ///
    /// With `readOnly` (for commands that only read) nothing is created or migrated, and a store
    /// on a read-only medium (no `-shm` beside it and none can be made) is opened as immutable.
    public init(path: String, create: Bool = true, busyTimeout: TimeInterval = 60, readOnly: Bool = false) throws {
        self.path = path
        self.busyTimeout = busyTimeout
        let url = URL(fileURLWithPath: path)
        if !FileManager.default.fileExists(atPath: path) {
            guard create, !readOnly else {
                throw IncidentStoreError(path: path, reason: "no incident database here; load events first with `regionrisk ingest FILE --db \(path)`")
            }
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw IncidentStoreError(path: path, reason: "cannot create its folder: \(error.localizedDescription)")
            }
        }
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(busyTimeout)
        config.label = "IncidentStore"
        config.prepareDatabase { db in
            // NORMAL is durable against a killed process in WAL mode; only a power cut can lose
            // the last committed ingest (never corrupt the file).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A 1M-event ingest writes ~0.5 GB of WAL; cap what stays on disk after checkpoints.
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            try db.execute(sql: "PRAGMA cache_size = -\(IncidentStore.defaultCacheKiB)")
            // Readers go through mmap, skipping a copy per page (a month of a 1M-event store
            // touches ~10k scattered pages: 60 ms → 45 ms). Not the writer: its mapped pages
            // would count against an ingest's memory.
            if db.configuration.readonly { try db.execute(sql: "PRAGMA mmap_size = 1073741824") }
        }
        do {
            database = try readOnly ? Self.openReadOnly(path: path, configuration: config, busyTimeout: busyTimeout)
                : Self.openPool(path: path, configuration: config, busyTimeout: busyTimeout)
            try database.read { db in
                if try Self.migrator.hasBeenSuperseded(db) {
                    throw IncidentStoreError(path: path, reason: "was written by a newer RegionRisk (unknown schema migrations); upgrade regionrisk")
                }
                if readOnly, try !Self.migrator.hasCompletedMigrations(db) {
                    throw IncidentStoreError(path: path, reason: "was written by an older RegionRisk; run `regionrisk ingest` into it once to upgrade its schema")
                }
            }
            if !readOnly { try Self.migrate(database) }
        } catch let e as IncidentStoreError {
            throw e
        } catch {
            throw IncidentStoreError.wrapping(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// Switching a new database to WAL takes an exclusive lock, and SQLite does not call the
    /// busy handler for it: a second process creating the same database at that moment gets
    /// SQLITE_BUSY at once. Retry that until the busy timeout.
    private static func openPool(path: String, configuration: Configuration, busyTimeout: TimeInterval) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(50_000)
            }
        }
    }

    /// A read-only pool; where SQLite cannot read the WAL index (a read-only medium without a
    /// `-shm` file), the file opened as immutable through a URI (Debian's SQLite has URIs on).
    private static func openReadOnly(path: String, configuration: Configuration, busyTimeout: TimeInterval) throws -> DatabasePool {
        do { return try openPool(path: path, configuration: configuration, busyTimeout: busyTimeout) } catch let e as DatabaseError
            where e.resultCode == .SQLITE_CANTOPEN || e.resultCode == .SQLITE_READONLY
        {
            let absolute = URL(fileURLWithPath: path).path
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "?#%")
            let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
            return try openPool(path: "file:\(encoded)?immutable=1", configuration: configuration, busyTimeout: busyTimeout)
        }
    }

    /// GRDB's migrator decides what to run before it takes the write lock, so two processes
    /// opening a new database at once may both try to create the schema; the loser's
    /// transaction fails and rolls back, and a second pass finds the work done.
    private static func migrate(_ database: DatabasePool) throws {
        var attempt = 0
        while true {
            do {
                return try migrator.migrate(database)
            } catch let e as DatabaseError where attempt < 3 && (e.resultCode == .SQLITE_ERROR || e.resultCode == .SQLITE_CONSTRAINT) {
                attempt += 1
            }
        }
    }

    /// Where the database lives when `--db` is not given: `$REGIONRISK_DB`, else
    /// `$XDG_DATA_HOME/regionrisk/incidents.sqlite`, else `~/.local/share/regionrisk/incidents.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let p = environment["REGIONRISK_DB"], !p.isEmpty { return p }
        // The XDG spec says relative values are invalid and must be ignored.
        if let x = environment["XDG_DATA_HOME"], x.hasPrefix("/") {
            return URL(fileURLWithPath: x).appendingPathComponent("regionrisk/incidents.sqlite").path
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/regionrisk/incidents.sqlite").path
    }

    /// Number of stored events.
    public func count() throws -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM incident") ?? 0 }
    }

    /// Past ingests, newest first.
    public func ingestRuns() throws -> [IngestRun] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ingest_run ORDER BY id DESC").map(IngestRun.init(row:))
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.read(body) } catch let e as IncidentStoreError { throw e } catch {
            throw IncidentStoreError.wrapping(error, path: path, busyTimeout: busyTimeout)
        }
    }
}

/// One recorded ingest.
public struct IngestRun: Sendable, Hashable {
    public var id: Int64
    public var fileName: String
    public var filePath: String
    public var sha256: String
    public var format: String
    public var source: String
    /// ISO 8601, UTC.
    public var startedAt: String
    public var rowsRead: Int
    public var added: Int
    public var updated: Int
    public var unchanged: Int
    public var skipped: Int
    public var rejected: Int
    public var outsideArea: Int
    public var deleted: Int

    public init(
        id: Int64, fileName: String, filePath: String, sha256: String, format: String, source: String, startedAt: String,
        rowsRead: Int, added: Int, updated: Int, unchanged: Int, skipped: Int, rejected: Int, outsideArea: Int, deleted: Int
    ) {
        (self.id, self.fileName, self.filePath, self.sha256, self.format, self.source, self.startedAt) =
            (id, fileName, filePath, sha256, format, source, startedAt)
        (self.rowsRead, self.added, self.updated, self.unchanged, self.skipped, self.rejected, self.outsideArea, self.deleted) =
            (rowsRead, added, updated, unchanged, skipped, rejected, outsideArea, deleted)
    }

    init(row: Row) {
        id = row["id"]
        fileName = row["file_name"]
        filePath = row["file_path"]
        sha256 = row["file_sha256"]
        format = row["format"]
        source = row["source"]
        startedAt = row["started_at"]
        rowsRead = row["rows_read"]
        added = row["added"]
        updated = row["updated"]
        unchanged = row["unchanged"]
        skipped = row["skipped"]
        rejected = row["rejected"]
        outsideArea = row["outside_area"]
        deleted = row["deleted"]
    }
}

/// The incident database could not be used; the message names it.
public struct IncidentStoreError: LocalizedError, Sendable {
    public let path: String
    public let reason: String
    /// True when another process held the database for longer than the busy timeout.
    public let isBusy: Bool

    public init(path: String, reason: String, isBusy: Bool = false) {
        self.path = path
        self.reason = reason
        self.isBusy = isBusy
    }

    public var errorDescription: String? { "\(path): \(reason)" }

    static func wrapping(_ error: Error, path: String, busyTimeout: TimeInterval) -> IncidentStoreError {
        if let e = error as? DatabaseError {
            switch e.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return IncidentStoreError(
                    path: path,
                    reason: "another process (probably another `regionrisk ingest`) kept the database locked for more than \(Int(busyTimeout)) s; nothing was changed. Try again when it has finished.",
                    isBusy: true)
            case .SQLITE_NOTADB:
                return IncidentStoreError(path: path, reason: "is not a RegionRisk incident database (not SQLite)")
            case .SQLITE_CANTOPEN:
                return IncidentStoreError(path: path, reason: "cannot be opened (missing folder or no permission)")
            case .SQLITE_READONLY:
                return IncidentStoreError(path: path, reason: "is read-only; check its permissions")
            case .SQLITE_FULL:
                return IncidentStoreError(path: path, reason: "the disk is full; nothing was changed")
            case .SQLITE_CORRUPT:
                return IncidentStoreError(path: path, reason: "the database file is damaged (\(e.message ?? "corrupt"))")
            default:
                return IncidentStoreError(path: path, reason: "database error: \(e.message ?? "\(e.resultCode)")")
            }
        }
        if let e = error as? LocalizedError, let d = e.errorDescription { return IncidentStoreError(path: path, reason: d) }
        return IncidentStoreError(path: path, reason: "\(error)")
    }
}
