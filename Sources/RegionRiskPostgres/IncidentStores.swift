import Foundation
import RegionRiskData

/// Opens the store a `--db` value names: `postgresql://…` or `postgres://…` is a PostgreSQL +
/// PostGIS database, anything else a SQLite file's path.
public enum IncidentStores {
    /// The `--db` default: `$REGIONRISK_DB`, else the SQLite file under the XDG data folder.
    public static func defaultLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        IncidentStore.defaultPath(environment: environment)
    }

    /// `location` as it may be printed: a PostgreSQL URL without its password.
    public static func displayName(_ location: String) -> String {
        guard PostgresLocation.isPostgresURL(location) else { return location }
        return (try? PostgresLocation(url: location, environment: [:]).displayName) ?? PostgresLocation.redacted(location)
    }

    /// True when `location` names a PostgreSQL database (`postgresql://…`, `postgres://…`).
    public static func isPostgreSQL(_ location: String) -> Bool { PostgresLocation.isPostgresURL(location) }

    /// Opens the store at `location`. `create` makes a missing SQLite file (a PostgreSQL
    /// database must exist; its schema is created unless `readOnly`).
    public static func open(
        _ location: String, create: Bool = true, readOnly: Bool = false, busyTimeout: TimeInterval = 60
    ) throws -> any IncidentStoring {
        if PostgresLocation.isPostgresURL(location) {
            return try PostgresIncidentStore(url: location, busyTimeout: busyTimeout, readOnly: readOnly)
        }
        return try IncidentStore(path: location, create: create, busyTimeout: busyTimeout, readOnly: readOnly)
    }

    /// Copies everything in `from` into `to` (which must be empty): events with their
    /// provenance, ingest runs, report runs. Returns the number of events copied.
    @discardableResult
    public static func copy(from source: any IncidentStoring, to target: any IncidentStoring) throws -> Int {
        var events = 0
        try target.restore { put in
            try source.snapshot { item in
                if case .incident = item { events += 1 }
                try put(item)
            }
        }
        return events
    }
}
