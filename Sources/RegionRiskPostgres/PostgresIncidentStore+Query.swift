import Foundation
import PostgresNIO
import RegionRiskBase
import RegionRiskData

extension PostgresIncidentStore {
    /// Matching events in day (undated last), source, id order.
    public func query(_ q: IncidentQuery) throws -> [Incident] {
        var out: [Incident] = []
        try forEach(q) { out.append($0.incident) }
        return out
    }

    /// Streams matching events through a cursor (one snapshot, 10,000 rows a fetch).
    public func forEach(_ q: IncidentQuery, _ body: (StoredIncident) throws -> Void) throws {
        let (whereSQL, binds) = Self.filter(q)
        try translatingErrors {
            try transaction {
                // The ORDER BY sorts whole rows (~500 bytes each): with the default 4 MB a month
                // window of ~10k events is sorted on disk, several times slower than in memory.
                try execute("SET LOCAL work_mem = '\(Self.querySortMemory)'")
                try execute(
                    """
                    DECLARE events NO SCROLL CURSOR FOR
                    SELECT \(Self.selectedColumns) FROM incident i JOIN ingest_run r ON r.id = i.ingest_run_id
                    \(whereSQL) ORDER BY i.event_day, i.source, i.source_event_id
                    """, binds)
                while true {
                    let batch = try rows("FETCH 10000 FROM events")
                    for row in batch { try body(try Self.storedIncident(row)) }
                    if batch.count < 10_000 { break }
                }
                return true
            }
        }
    }

    /// Memory for sorting a query's rows before the first is sent (about 100,000 events' worth).
    static let querySortMemory = "64MB"

    public func count(_ q: IncidentQuery) throws -> Int {
        let (whereSQL, binds) = Self.filter(q)
        return try translatingErrors { try integer("SELECT COUNT(*) FROM incident i \(whereSQL)", binds) }
    }

    public func countFatalitiesOutOfRange() throws -> Int {
        let range = ParameterLimits.fatalities
        var binds = PostgresBindings()
        binds.append(range.lowerBound)
        binds.append(range.upperBound)
        return try translatingErrors {
            try integer("SELECT COUNT(*) FROM incident WHERE fatalities IS NOT NULL AND NOT (fatalities BETWEEN $1 AND $2)", binds)
        }
    }

    public func extent(_ q: IncidentQuery) throws -> IncidentQuery.BoundingBox? {
        let (whereSQL, binds) = Self.filter(q)
        return try translatingErrors {
            guard let row = try rows("SELECT MIN(lon), MIN(lat), MAX(lon), MAX(lat) FROM incident i \(whereSQL)", binds).first,
                let w = try row[0].decode(Double?.self), let s = try row[1].decode(Double?.self),
                let e = try row[2].decode(Double?.self), let n = try row[3].decode(Double?.self)
            else { return nil }
            return IncidentQuery.BoundingBox(west: w, south: s, east: e, north: n)
        }
    }

    public func ingestRuns() throws -> [IngestRun] {
        try translatingErrors { try rows("SELECT \(Self.runColumns) FROM ingest_run ORDER BY id DESC").map(Self.ingestRun) }
    }

    /// The tables are there and answer; PostgreSQL checks its own pages.
    public func quickCheck() throws {
        try translatingErrors { try checkSchema(requireComplete: false) }
    }

    /// The WHERE clause of `q`, pushed down to SQL: the date window on `incident_by_day`, the
    /// box on the GiST index (`&&` with one envelope, or two across the antimeridian).
    static func filter(_ q: IncidentQuery) -> (String, PostgresBindings) {
        var clauses: [String] = []
        var binds = PostgresBindings()
        func bind(_ v: some PostgresDynamicTypeEncodable) -> String {
            binds.append(v)
            return "$\(binds.count)"
        }
        if let s = q.since { clauses.append("i.event_day >= \(bind(s.dayNumber))") }
        if let u = q.until { clauses.append("i.event_day <= \(bind(u.dayNumber))") }
        if let b = q.bbox {
            func envelope(_ w: Double, _ e: Double) -> String {
                "i.geom && ST_MakeEnvelope(\(bind(w)), \(bind(b.south)), \(bind(e)), \(bind(b.north)), 4326)"
            }
            clauses.append(b.west <= b.east ? envelope(b.west, b.east) : "(\(envelope(b.west, 180)) OR \(envelope(-180, b.east)))")
        }
        // lower() folds accented letters too in a UTF-8 database (Ségou, Ménaka).
        if let a = q.admin1 { clauses.append("lower(i.admin1) = lower(\(bind(a)))") }
        if let t = q.eventType { clauses.append("lower(i.event_type) = lower(\(bind(t)))") }
        if let s = q.source { clauses.append("i.source = \(bind(s))") }
        if let p = q.coarsestPrecision { clauses.append("i.location_precision <= \(bind(p.rawValue))") }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), binds)
    }

    /// As the SQLite store's `selectedColumns`: the incident, its geocode, its provenance.
    static let selectedColumns = """
        i.source, i.source_event_id, i.event_day, i.lon, i.lat, i.location_precision, i.place, i.admin1, i.event_type,
        i.actor, i.fatalities, i.weight, i.source_url, i.source_title, i.notes, i.geocode_name, i.geocode_geonameid,
        i.geocode_admin1, i.geocode_confidence, i.geocode_ambiguous, i.source_line, r.file_name, r.file_sha256, r.started_at
        """

    static func storedIncident(_ c: [PostgresCell]) throws -> StoredIncident {
        func text(_ k: Int) throws -> String? { try c[k].decode(String?.self) }
        func int(_ k: Int) throws -> Int? { try c[k].decode(Int?.self) }
        func real(_ k: Int) throws -> Double? { try c[k].decode(Double?.self) }
        let location = LonLat(lon: try real(3) ?? 0, lat: try real(4) ?? 0)
        let incident = Incident(
            source: try text(0) ?? "", sourceEventID: try text(1) ?? "", date: try int(2).map { CivilDate(dayNumber: $0) },
            location: location, locationPrecision: try int(5).flatMap { LocationPrecision(rawValue: $0) } ?? .unknown,
            place: try text(6), admin1: try text(7), eventType: try text(8), actor: try text(9),
            fatalities: try real(10).flatMap { ParameterLimits.fatalities.contains($0) ? $0 : nil }, weight: try real(11),
            sourceURL: try text(12), sourceTitle: try text(13), notes: try text(14))
        var geocode: PlaceNameResolution?
        if let name = try text(15) {
            geocode = PlaceNameResolution(
                location: location, matchedName: name, geonameID: try int(16), admin1: try text(17),
                confidence: try real(18) ?? 0, isAmbiguous: (try int(19) ?? 0) != 0)
        }
        return StoredIncident(
            incident: incident, geocode: geocode,
            provenance: IncidentProvenance(
                fileName: try text(21) ?? "", sha256: try text(22) ?? "", line: try int(20) ?? 0, ingestedAt: try text(23) ?? ""))
    }

    static let runColumns = """
        id, file_name, file_path, file_sha256, format, source, started_at, rows_read, added, updated, unchanged, skipped,
        rejected, outside_area, deleted
        """

    static func ingestRun(_ c: [PostgresCell]) throws -> IngestRun {
        func n(_ k: Int) throws -> Int { try c[k].decode(Int.self) }
        return IngestRun(
            id: Int64(try n(0)), fileName: try c[1].decode(String.self), filePath: try c[2].decode(String.self),
            sha256: try c[3].decode(String.self), format: try c[4].decode(String.self), source: try c[5].decode(String.self),
            startedAt: try c[6].decode(String.self), rowsRead: try n(7), added: try n(8), updated: try n(9), unchanged: try n(10),
            skipped: try n(11), rejected: try n(12), outsideArea: try n(13), deleted: try n(14))
    }
}
