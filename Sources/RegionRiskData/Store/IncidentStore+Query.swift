import Foundation
import GRDB
import RegionRiskBase

/// Which stored events to fetch. Every condition given must hold; nil means any.
public struct IncidentQuery: Sendable, Equatable {
    /// First day included.
    public var since: CivilDate?
    /// Last day included.
    public var until: CivilDate?
    /// Degrees, (west, south, east, north); west > east crosses the antimeridian.
    public var bbox: BoundingBox?
    /// Region name, compared case-insensitively.
    public var admin1: String?
    /// Event type, compared case-insensitively.
    public var eventType: String?
    public var source: String?
    /// Events no more precise than this are left out (e.g. `.near` drops region-only events).
    public var coarsestPrecision: LocationPrecision?

    public init(
        since: CivilDate? = nil, until: CivilDate? = nil, bbox: BoundingBox? = nil, admin1: String? = nil,
        eventType: String? = nil, source: String? = nil, coarsestPrecision: LocationPrecision? = nil
    ) {
        self.since = since
        self.until = until
        self.bbox = bbox
        self.admin1 = admin1
        self.eventType = eventType
        self.source = source
        self.coarsestPrecision = coarsestPrecision
    }

    /// A longitude/latitude box in degrees.
    public struct BoundingBox: Sendable, Equatable {
        public var west: Double
        public var south: Double
        public var east: Double
        public var north: Double
        public init(west: Double, south: Double, east: Double, north: Double) {
            self.west = west
            self.south = south
            self.east = east
            self.north = north
        }

        /// Parses `west,south,east,north` (degrees); nil when malformed or out of range.
        public init?(parsing text: String) {
            let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 4, let w = parts[0], let s = parts[1], let e = parts[2], let n = parts[3],
                [w, s, e, n].allSatisfy(\.isFinite), abs(w) <= 180, abs(e) <= 180, abs(s) <= 90, abs(n) <= 90, s <= n
            else { return nil }
            self.init(west: w, south: s, east: e, north: n)
        }

        public func contains(_ p: LonLat) -> Bool {
            guard p.lat >= south, p.lat <= north else { return false }
            return west <= east ? (p.lon >= west && p.lon <= east) : (p.lon >= west || p.lon <= east)
        }
    }
}

/// Where a stored event came from.
public struct IncidentProvenance: Sendable, Hashable {
    public var fileName: String
    /// SHA-256 of the file, hex.
    public var sha256: String
    /// The line the event starts on in that file.
    public var line: Int
    /// When it was ingested (or last changed), ISO 8601 UTC.
    public var ingestedAt: String

    public init(fileName: String, sha256: String, line: Int, ingestedAt: String) {
        (self.fileName, self.sha256, self.line, self.ingestedAt) = (fileName, sha256, line, ingestedAt)
    }
}

/// A stored event with what the store knows about it beyond the `Incident`.
public struct StoredIncident: Sendable, Hashable {
    public var incident: Incident
    /// The gazetteer match when the event was placed by name (its location is `incident.location`).
    public var geocode: PlaceNameResolution?
    public var provenance: IncidentProvenance

    public init(incident: Incident, geocode: PlaceNameResolution?, provenance: IncidentProvenance) {
        (self.incident, self.geocode, self.provenance) = (incident, geocode, provenance)
    }
}

extension IncidentStore {
    /// Matching events ordered by day (undated last), source and id.
    public func query(_ q: IncidentQuery = IncidentQuery()) throws -> [Incident] {
        var out: [Incident] = []
        let (whereSQL, arguments) = Self.filter(q)
        // Without the provenance join: detection asks for windows many times.
        let sql = """
            SELECT \(Self.incidentColumns) FROM incident i \(Self.indexHint(q))
            \(whereSQL) \(Self.order(q))
            """
        try read { db in
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments(arguments)
            try RawRows.forEach(statement, db) { out.append(Self.incident($0)) }
        }
        return out
    }

    /// Streams matching events in `query`'s order without holding them all in memory.
    public func forEach(_ q: IncidentQuery = IncidentQuery(), _ body: (StoredIncident) throws -> Void) throws {
        let (whereSQL, arguments) = Self.filter(q)
        let sql = """
            SELECT \(Self.selectedColumns) FROM incident i \(Self.indexHint(q)) JOIN ingest_run r ON r.id = i.ingest_run_id
            \(whereSQL) \(Self.order(q))
            """
        try read { db in
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments(arguments)
            try RawRows.forEach(statement, db) { try body(Self.storedIncident($0)) }
        }
    }

    /// Number of matching events.
    public func count(_ q: IncidentQuery) throws -> Int {
        let (whereSQL, arguments) = Self.filter(q)
        return try read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM incident i \(Self.indexHint(q)) \(whereSQL)", arguments: arguments) ?? 0 }
    }

    /// The (west, south, east, north) extent of matching events, nil when none match.
    public func extent(_ q: IncidentQuery) throws -> IncidentQuery.BoundingBox? {
        let (whereSQL, arguments) = Self.filter(q)
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT MIN(lon), MIN(lat), MAX(lon), MAX(lat) FROM incident i \(Self.indexHint(q)) \(whereSQL)", arguments: arguments),
                let w = row[0] as Double?, let s = row[1] as Double?, let e = row[2] as Double?, let n = row[3] as Double?
            else { return nil }
            return IncidentQuery.BoundingBox(west: w, south: s, east: e, north: n)
        }
    }

    static func filter(_ q: IncidentQuery) -> (String, StatementArguments) {
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let s = q.since {
            clauses.append("i.event_day >= ?")
            args.append(s.dayNumber)
        }
        if let u = q.until {
            clauses.append("i.event_day <= ?")
            args.append(u.dayNumber)
        }
        if let b = q.bbox {
            clauses.append("i.lat BETWEEN ? AND ?")
            args += [b.south, b.north]
            clauses.append(b.west <= b.east ? "i.lon BETWEEN ? AND ?" : "(i.lon >= ? OR i.lon <= ?)")
            args += [b.west, b.east]
        }
        if let a = q.admin1 {
            // GRDB's Foundation collation: SQLite's NOCASE folds ASCII only, and region names
            // are often accented (Ségou, Ménaka).
            clauses.append("i.admin1 = ? COLLATE swiftCaseInsensitiveCompare")
            args.append(a)
        }
        if let t = q.eventType {
            clauses.append("i.event_type = ? COLLATE swiftCaseInsensitiveCompare")
            args.append(t)
        }
        if let s = q.source {
            clauses.append("i.source = ?")
            args.append(s)
        }
        if let p = q.coarsestPrecision {
            clauses.append("i.location_precision <= ?")
            args.append(p.rawValue)
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), StatementArguments(args))
    }

    /// Day, source, id; undated events last. With a date window there are none, and leaving
    /// out the `IS NULL` term lets SQLite take the day order from the index.
    static func order(_ q: IncidentQuery) -> String {
        let dated = q.since != nil || q.until != nil
        return "ORDER BY \(dated ? "" : "i.event_day IS NULL, ")i.event_day, i.source, i.source_event_id"
    }

    /// A date window goes through the day index, which holds lon and lat too, so a window plus
    /// a box is answered from the index alone. A box without dates scans that index rather than
    /// the table: on a 1M-event store (the `sqlite3` shell, warm) a 0.1° box took 65 ms that way
    /// and 120–140 ms by table scan; the latitude index that took 6–8 ms cost about 1 s of every
    /// 1M-row bulk load to rebuild (dropped in migration v4).
    static func indexHint(_ q: IncidentQuery) -> String {
        q.since != nil || q.until != nil || q.bbox != nil ? "INDEXED BY incident_by_day" : ""
    }

    /// Columns read by `storedIncident`, in its order.
    static let incidentColumns = """
        i.source, i.source_event_id, i.event_day, i.lon, i.lat, i.location_precision, i.place, i.admin1, i.event_type,
        i.actor, i.fatalities, i.weight, i.source_url, i.source_title, i.notes
        """
    static let selectedColumns = incidentColumns + """
        , i.geocode_name, i.geocode_geonameid, i.geocode_admin1, i.geocode_confidence,
        i.geocode_ambiguous, i.source_line, r.file_name, r.file_sha256, r.started_at
        """

    /// A stored fatalities value outside `ParameterLimits.fatalities` (written before the range
    /// was enforced at ingest) reads as unknown, so no total built from it overflows.
    static func validStoredFatalities(_ v: Double) -> Double? { ParameterLimits.fatalities.contains(v) ? v : nil }

    /// How many stored events have fatalities outside `ParameterLimits.fatalities` (a store
    /// written before the range was enforced, or edited by hand); queries read them as unknown.
    public func countFatalitiesOutOfRange() throws -> Int {
        let range = ParameterLimits.fatalities
        return try read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM incident WHERE fatalities IS NOT NULL AND NOT (fatalities BETWEEN ? AND ?)",
                             arguments: [range.lowerBound, range.upperBound]) ?? 0
        }
    }

    /// Reads `incidentColumns` (the first 15 of `selectedColumns`).
    static func incident(_ c: RawRow) -> Incident {
        Incident(
            source: c.text(0) ?? "", sourceEventID: c.text(1) ?? "", date: c.integer(2).map { CivilDate(dayNumber: Int($0)) },
            location: LonLat(lon: c.real(3) ?? 0, lat: c.real(4) ?? 0),
            locationPrecision: c.integer(5).flatMap { LocationPrecision(rawValue: Int($0)) } ?? .unknown,
            place: c.text(6), admin1: c.text(7), eventType: c.text(8), actor: c.text(9), fatalities: c.real(10).flatMap(validStoredFatalities), weight: c.real(11),
            sourceURL: c.text(12), sourceTitle: c.text(13), notes: c.text(14))
    }

    static func storedIncident(_ c: RawRow) -> StoredIncident {
        let incident = incident(c)
        var geocode: PlaceNameResolution?
        if let name = c.text(15) {
            geocode = PlaceNameResolution(
                location: incident.location, matchedName: name, geonameID: c.integer(16).map { Int($0) }, admin1: c.text(17),
                confidence: c.real(18) ?? 0, isAmbiguous: (c.integer(19) ?? 0) != 0)
        }
        return StoredIncident(
            incident: incident, geocode: geocode,
            provenance: IncidentProvenance(
                fileName: c.text(21) ?? "", sha256: c.text(22) ?? "", line: Int(c.integer(20) ?? 0), ingestedAt: c.text(23) ?? ""))
    }
}
