import Foundation
import Logging
import NIOSSL
import PostgresNIO
import RegionRiskData

/// The incident store in PostgreSQL + PostGIS, for teams: several hosts ingest into one
/// database and analysts open the `incident_layer` view in QGIS.
///
/// Same semantics as `IncidentStore`: events keyed by (source, source event id); one ingest is
/// one transaction, serialised against other ingests by `pg_advisory_xact_lock`; readers see a
/// store before or after an ingest (each read is one statement or one cursor's snapshot).
/// The schema is versioned in `regionrisk_migrations`.
///
/// One connection, owned by this object and closed in `deinit`. The store's methods block the
/// calling thread while postgres-nio works on its event loop; do not call them from an event loop.
public final class PostgresIncidentStore: @unchecked Sendable {
    public let location: PostgresLocation
    /// Seconds an ingest waits for another ingest's lock.
    public let busyTimeout: TimeInterval
    let connection: PostgresConnection
    var logger: Logger { Self.logger }
    static let logger = Logger(label: "regionrisk.postgres")

    public var displayName: String { location.displayName }

    /// Connects to the database at `url` and, unless `readOnly`, brings its schema up to date
    /// (creating the PostGIS extension when the role may).
    public convenience init(url: String, busyTimeout: TimeInterval = 60, readOnly: Bool = false,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(url: url, busyTimeout: busyTimeout, readOnly: readOnly, migrate: true, environment: environment)
    }

    private init(url: String, busyTimeout: TimeInterval = 60, readOnly: Bool = false, migrate: Bool,
                 environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let location: PostgresLocation
        do { location = try PostgresLocation(url: url, environment: environment) } catch {
            throw IncidentStoreError(path: PostgresLocation.redacted(url), reason: error.localizedDescription)
        }
        self.location = location
        self.busyTimeout = busyTimeout
        let name = location.displayName
        let logger = Self.logger
        do {
            connection = try Blocking.run {
                let tls = try Self.tls(location.sslMode)
                var config = PostgresConnection.Configuration(
                    host: location.host, port: location.port, username: location.user, password: location.password,
                    database: location.database, tls: tls)
                config.options.connectTimeout = .seconds(15)
                return try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.next(), configuration: config, id: 1, logger: logger)
            }
        } catch {
            throw Self.storeError(error, name: name, notes: location.notes)
        }
        try translatingErrors {
            if readOnly { try checkSchema(requireComplete: true) } else if migrate { try self.migrate() }
        }
    }

    /// Runs `sql` on the database at `url` without touching the schema (tests create and drop
    /// databases with it).
    package static func administer(url: String, _ sql: String) throws {
        try PostgresIncidentStore(url: url, migrate: false).execute(sql)
    }

    deinit {
        let connection = connection
        try? Blocking.run { try await connection.close() }
    }

    /// libpq's modes: prefer and require encrypt without checking the certificate; verify-ca and
    /// verify-full check it against the system's trust roots.
    static func tls(_ mode: String) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case "disable": return .disable
        case "verify-ca", "verify-full": return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default:
            var c = TLSConfiguration.makeClientConfiguration()
            c.certificateVerification = .none
            let context = try NIOSSLContext(configuration: c)
            return mode == "require" ? .require(context) : .prefer(context)
        }
    }

    // MARK: Running SQL

    /// Runs `sql` with `binds` and returns every row as cells.
    func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [[PostgresCell]] {
        let connection = connection, logger = logger
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try Blocking.run {
            var out: [[PostgresCell]] = []
            for try await row in try await connection.query(query, logger: logger) { out.append(Array(row)) }
            return out
        }
    }

    /// Runs `sql` for its effect.
    func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws {
        _ = try rows(sql, binds)
    }

    /// The one integer `sql` returns.
    func integer(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> Int {
        try rows(sql, binds).first?.first?.decode(Int?.self) ?? 0
    }

    /// Runs `body` inside BEGIN … COMMIT (ROLLBACK when it throws or returns false).
    func transaction(_ body: () throws -> Bool) throws {
        try execute("BEGIN")
        do {
            let commit = try body()
            try execute(commit ? "COMMIT" : "ROLLBACK")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Errors from postgres-nio as `IncidentStoreError`s naming the store.
    func translatingErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as IncidentStoreError { throw e } catch let e as PSQLError {
            throw Self.storeError(e, name: displayName, notes: location.notes, busyTimeout: busyTimeout)
        }
    }

    /// What went wrong, in the server's words (PSQLError's own description hides them).
    static func storeError(_ error: Error, name: String, notes: [String], busyTimeout: TimeInterval = 0) -> IncidentStoreError {
        guard let e = error as? PSQLError else {
            return IncidentStoreError(path: name, reason: error.localizedDescription)
        }
        let extra = notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"
        if let info = e.serverInfo {
            let state = info[.sqlState] ?? ""
            let message = info[.message] ?? "server error"
            if state == "55P03" {  // lock_not_available: lock_timeout ran out
                return IncidentStoreError(
                    path: name,
                    reason: "another process (probably another `regionrisk ingest`) held the store's ingest lock for more than \(Int(busyTimeout)) s; nothing was changed. Try again when it has finished.",
                    isBusy: true)
            }
            if state.hasPrefix("28") { return IncidentStoreError(path: name, reason: "cannot log in: \(message)\(extra)") }
            if state == "3D000" { return IncidentStoreError(path: name, reason: "\(message); create it first (createdb)") }
            let detail = info[.detail].map { " (\($0))" } ?? ""
            return IncidentStoreError(path: name, reason: "PostgreSQL error \(state): \(message)\(detail)")
        }
        switch e.code {
        case .authMechanismRequiresPassword:
            return IncidentStoreError(path: name, reason: "the server asks for a password: give it in PGPASSWORD, ~/.pgpass or a service file\(extra)")
        case .connectionError:
            let why = e.underlying.map { "\($0)" } ?? "no answer"
            return IncidentStoreError(path: name, reason: "cannot connect to the server (\(why))")
        case .sslUnsupported:
            return IncidentStoreError(path: name, reason: "the server does not offer TLS, which sslmode requires")
        default:
            return IncidentStoreError(path: name, reason: "PostgreSQL client error: \(e.code)")
        }
    }
}

/// Runs async postgres-nio work from synchronous code: the caller's thread waits on a
/// semaphore while a task runs on the concurrency pool.
enum Blocking {
    private final class Box<T>: @unchecked Sendable { var result: Result<T, Error>? }

    static func run<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}
