import Foundation
import PostgresNIO
import RegionRiskBase
import RegionRiskData

extension PostgresIncidentStore: IncidentStoring {
    /// As `IncidentStore.ingest`: one transaction, holding the write lock; rows are sent with
    /// COPY into a temporary table in batches and merged with one INSERT … ON CONFLICT each.
    public func ingest(_ request: IngestRequest, progress: ((IngestProgress) -> Void)?) throws -> IngestSummary {
        let prepared = try IngestDriver.prepare(request)
        var summary = prepared.summary
        var complete = true
        try translatingErrors {
            try transaction {
                try lockForWriting()
                try execute("CREATE TEMP TABLE incident_stage (seq bigint, \(Self.stageColumnTypes)) ON COMMIT DROP")
                var tx = PostgresIngestTransaction(store: self)
                complete = try IngestDriver.fill(&tx, summary: &summary, request, prepared, progress: progress)
                return complete
            }
        }
        if !complete { throw IngestError.rejectedRowsInStrictMode(summary) }
        return summary
    }

    /// The columns an event row writes, in COPY order (then the run id).
    static let rowColumns = [
        "source", "source_event_id", "event_day", "lon", "lat", "location_precision", "place", "admin1", "event_type", "actor",
        "fatalities", "weight", "geocode_name", "geocode_geonameid", "geocode_admin1", "geocode_confidence", "geocode_ambiguous",
        "content_hash", "source_line", "source_url", "source_title", "notes",
    ]
    static let stageColumnTypes = """
        source text COLLATE "C", source_event_id text COLLATE "C", event_day integer, lon double precision, lat double precision,
        location_precision integer, place text, admin1 text, event_type text, actor text, fatalities double precision,
        weight double precision, geocode_name text, geocode_geonameid bigint, geocode_admin1 text,
        geocode_confidence double precision, geocode_ambiguous integer, content_hash bigint, source_line bigint,
        source_url text, source_title text, notes text, run_id bigint
        """

    /// Moves the staged rows into `incident` (the last of each key wins, as sequential upserts
    /// would) and returns how many rows were written; an unchanged event is not rewritten.
    static let mergeSQL: String = {
        let cols = rowColumns.joined(separator: ", ")
        let updates = (rowColumns.dropFirst(2) + ["ingest_run_id"]).map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        return """
            WITH written AS (
                INSERT INTO incident (\(cols), ingest_run_id)
                SELECT DISTINCT ON (source, source_event_id) \(cols), run_id FROM incident_stage
                ORDER BY source, source_event_id, seq DESC
                ON CONFLICT (source, source_event_id) DO UPDATE SET \(updates)
                WHERE incident.content_hash <> EXCLUDED.content_hash
                RETURNING 1)
            SELECT COUNT(*) FROM written
            """
    }()

    /// Sends `text` (COPY text format lines) to `incident_stage`, merges, empties the stage.
    func copyAndMerge(_ text: ByteBuffer) throws -> Int {
        let connection = connection, logger = logger
        try Blocking.run {
            try await connection.copyFrom(table: "incident_stage", columns: ["seq"] + Self.rowColumns + ["run_id"], logger: logger) { writer in
                try await writer.write(text)
            }
        }
        let n = try integer(Self.mergeSQL)
        try execute("TRUNCATE incident_stage")
        return n
    }
}

/// One PostgreSQL ingest's writes: rows are encoded as COPY text and sent in batches.
struct PostgresIngestTransaction: IngestTransaction {
    let store: PostgresIncidentStore
    private var buffer = ByteBufferAllocator().buffer(capacity: 1 << 22)
    private var buffered = 0
    private var seq: Int64 = 0
    /// Rows per COPY + merge: big enough to amortise the round trips, small enough to stream.
    static let batchRows = 50_000

    init(store: PostgresIncidentStore) { self.store = store }

    func incidentCount() throws -> Int { try store.integer("SELECT COUNT(*) FROM incident") }

    func beginRun(fileName: String, filePath: String, startedAt: String) throws -> Int64 {
        var b = PostgresBindings()
        b.append(fileName)
        b.append(filePath)
        b.append(startedAt)
        return Int64(try store.integer(
            "INSERT INTO ingest_run (file_name, file_path, file_sha256, format, source, started_at) VALUES ($1, $2, '', '', '', $3) RETURNING id", b))
    }

    mutating func upsert(_ r: IncidentRecord, runID: Int64) throws -> Int {
        seq += 1
        CopyText.appendRow(&buffer, seq: seq, record: r, runID: runID)
        buffered += 1
        return buffered >= Self.batchRows ? try flush(runID: runID) : 0
    }

    mutating func flush(runID: Int64) throws -> Int {
        guard buffered > 0 else { return 0 }
        let n = try store.copyAndMerge(buffer)
        buffer.clear()
        buffered = 0
        return n
    }

    func delete(source: String, ids: [String]) throws -> Int {
        var b = PostgresBindings()
        b.append(source)
        b.append(ids)
        return try store.integer(
            "WITH gone AS (DELETE FROM incident WHERE source = $1 AND source_event_id = ANY($2) RETURNING 1) SELECT COUNT(*) FROM gone", b)
    }

    func finishRun(_ runID: Int64, _ s: IngestSummary) throws {
        var b = PostgresBindings()
        b.append(s.sha256)
        b.append(s.format.rawValue)
        b.append(s.source)
        for n in [s.rowsRead, s.added, s.updated, s.unchanged, s.skipped, s.rejected.count, s.outsideArea.count, s.deleted] { b.append(n) }
        b.append(Int(runID))
        try store.execute(
            """
            UPDATE ingest_run SET file_sha256 = $1, format = $2, source = $3, rows_read = $4, added = $5, updated = $6,
                unchanged = $7, skipped = $8, rejected = $9, outside_area = $10, deleted = $11 WHERE id = $12
            """, b)
    }
}

/// PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes.
enum CopyText {
    static func appendRow(_ out: inout ByteBuffer, seq: Int64, record r: IncidentRecord, runID: Int64) {
        let i = r.incident, g = r.geocode
        let fields: [String?] = [
            String(seq), i.source, i.sourceEventID, i.date.map { String($0.dayNumber) }, number(i.location.lon), number(i.location.lat),
            String(i.locationPrecision.rawValue), i.place, i.admin1, i.eventType, i.actor, i.fatalities.map(number),
            i.weight.map(number), g?.matchedName, g?.geonameID.map { String($0) }, g?.admin1, g.map { number($0.confidence) },
            g.map { $0.isAmbiguous ? "1" : "0" }, String(IncidentStore.contentHash(r)), String(r.line), i.sourceURL,
            i.sourceTitle, i.notes, String(runID),
        ]
        for (k, f) in fields.enumerated() {
            if k > 0 { out.writeInteger(UInt8(ascii: "\t")) }
            guard let f else {
                out.writeStaticString("\\N")
                continue
            }
            append(f, to: &out)
        }
        out.writeInteger(UInt8(ascii: "\n"))
    }

    /// Doubles as the shortest text that reads back as the same value (PostgreSQL parses exactly).
    static func number(_ d: Double) -> String { "\(d)" }

    static func append(_ s: String, to out: inout ByteBuffer) {
        var s = s
        s.withUTF8 { bytes in
            if !bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                out.writeBytes(bytes)
                return
            }
            for b in bytes {
                switch b {
                case 0x5C: out.writeStaticString("\\\\")
                case 0x09: out.writeStaticString("\\t")
                case 0x0A: out.writeStaticString("\\n")
                case 0x0D: out.writeStaticString("\\r")
                default: out.writeInteger(b)
                }
            }
        }
    }
}
