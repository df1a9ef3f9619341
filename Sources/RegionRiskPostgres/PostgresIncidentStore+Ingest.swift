import Foundation
import PostgresNIO
import RegionRiskBase
import RegionRiskData

extension PostgresIncidentStore: IncidentStoring {
    /// As `IncidentStore.ingest`: one transaction, holding the write lock; rows are sent with
    /// COPY into a temporary table in batches and merged with one INSERT … ON CONFLICT each.
    ///
    /// A file much bigger than the store (more than 4 × its events, by `bytesPerRowEstimate`) is
    /// bulk-loaded: the date and point indexes and the run foreign key are dropped first and
    /// rebuilt at the end, in the same transaction (a kill or an error still undoes all), and the
    /// table is analysed so that window queries get a plan from its statistics. Building an index
    /// by sorting once is several times cheaper than inserting a million rows into it one by one.
    /// While a bulk load runs, readers of `incident` wait for it (the dropped index holds an
    /// exclusive lock) and then see the store after it; an ordinary ingest does not block them.
    public func ingest(_ request: IngestRequest, progress: ((IngestProgress) -> Void)?) throws -> IngestSummary {
        let prepared = try IngestDriver.prepare(request)
        var summary = prepared.summary
        var complete = true
        try translatingErrors {
            try transaction {
                try lockForWriting()
                try execute("SET LOCAL work_mem = '\(Self.ingestWorkMem)'")
                try execute("SET LOCAL maintenance_work_mem = '\(Self.ingestMaintenanceWorkMem)'")
                let bulk = try isSmall(comparedTo: prepared.totalBytes / Self.bytesPerRowEstimate)
                if bulk { try dropSecondaryIndexes() }
                try execute("CREATE TEMP TABLE incident_stage (seq bigint, \(Self.stageColumnTypes)) ON COMMIT DROP")
                var tx = PostgresIngestTransaction(store: self)
                complete = try IngestDriver.fill(&tx, summary: &summary, request, prepared, progress: progress)
                if bulk && complete { try createSecondaryIndexes() }
                return complete
            }
        }
        if !complete { throw IngestError.rejectedRowsInStrictMode(summary) }
        return summary
    }

    /// Bytes a stored event takes in a typical export, to guess a file's rows from its size (as
    /// the SQLite store's estimate).
    static let bytesPerRowEstimate = 300
    /// Memory for the merge's sort of one batch (about 40 MB for 50,000 rows), so it is not spilled to disk.
    static let ingestWorkMem = "64MB"
    /// Memory for rebuilding the indexes after a bulk load (the GiST build sorts the points).
    static let ingestMaintenanceWorkMem = "256MB"

    /// Whether the store holds fewer than a quarter of `rows` events (counts at most that many).
    func isSmall(comparedTo rows: Int) throws -> Bool {
        var b = PostgresBindings()
        b.append(rows / 4 + 1)
        return try integer("SELECT COUNT(*) FROM (SELECT 1 FROM incident LIMIT $1) AS head", b) * 4 < rows
    }

    /// The date and point indexes and the run foreign key as migration v1 creates them; a bulk
    /// load drops and rebuilds them. A later migration that changes them must change these too.
    static let secondaryIndexes: [(drop: String, create: String)] = [
        ("DROP INDEX incident_by_day", "CREATE INDEX incident_by_day ON incident (event_day)"),
        ("DROP INDEX incident_geom", "CREATE INDEX incident_geom ON incident USING gist (geom)"),
        ("ALTER TABLE incident DROP CONSTRAINT incident_ingest_run_id_fkey",
         "ALTER TABLE incident ADD CONSTRAINT incident_ingest_run_id_fkey FOREIGN KEY (ingest_run_id) REFERENCES ingest_run(id)"),
    ]

    func dropSecondaryIndexes() throws {
        for i in Self.secondaryIndexes { try execute(i.drop) }
    }

    /// Rebuilds what `dropSecondaryIndexes` dropped (the foreign key is checked in one join) and
    /// refreshes the planner's statistics.
    func createSecondaryIndexes() throws {
        for i in Self.secondaryIndexes { try execute(i.create) }
        try execute("ANALYZE incident")
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

    mutating func upsert(_ r: IncidentRecord, contentHash: Int64, runID: Int64) throws -> Int {
        seq += 1
        CopyText.appendRow(&buffer, seq: seq, record: r, contentHash: contentHash, runID: runID)
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

/// PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes. Rows are
/// written straight into the buffer (no per-row arrays or number strings).
enum CopyText {
    /// `contentHash`: the record's `IncidentStore.contentHash`.
    static func appendRow(_ out: inout ByteBuffer, seq: Int64, record r: IncidentRecord, contentHash: Int64, runID: Int64) {
        let i = r.incident, g = r.geocode
        integer(seq, &out)
        tab(&out); text(i.source, &out)
        tab(&out); text(i.sourceEventID, &out)
        tab(&out); optional(i.date, &out) { integer(Int64($0.dayNumber), &$1) }
        tab(&out); number(i.location.lon, &out)
        tab(&out); number(i.location.lat, &out)
        tab(&out); integer(Int64(i.locationPrecision.rawValue), &out)
        tab(&out); optional(i.place, &out, text)
        tab(&out); optional(i.admin1, &out, text)
        tab(&out); optional(i.eventType, &out, text)
        tab(&out); optional(i.actor, &out, text)
        tab(&out); optional(i.fatalities, &out, number)
        tab(&out); optional(i.weight, &out, number)
        tab(&out); optional(g?.matchedName, &out, text)
        tab(&out); optional(g?.geonameID, &out) { integer(Int64($0), &$1) }
        tab(&out); optional(g?.admin1, &out, text)
        tab(&out); optional(g?.confidence, &out, number)
        tab(&out); optional(g?.isAmbiguous, &out) { integer($0 ? 1 : 0, &$1) }
        tab(&out); integer(contentHash, &out)
        tab(&out); integer(Int64(r.line), &out)
        tab(&out); optional(i.sourceURL, &out, text)
        tab(&out); optional(i.sourceTitle, &out, text)
        tab(&out); optional(i.notes, &out, text)
        tab(&out); integer(runID, &out)
        out.writeInteger(UInt8(ascii: "\n"))
    }

    @inline(__always) static func tab(_ out: inout ByteBuffer) { out.writeInteger(UInt8(ascii: "\t")) }

    @inline(__always) static func optional<T>(_ v: T?, _ out: inout ByteBuffer, _ write: (T, inout ByteBuffer) -> Void) {
        if let v { write(v, &out) } else { out.writeStaticString("\\N") }
    }

    /// Decimal digits of `v`, as `String(v)` writes them.
    static func integer(_ v: Int64, _ out: inout ByteBuffer) {
        out.writeWithUnsafeMutableBytes(minimumWritableBytes: 20) { p in
            var m = v.magnitude
            var n = 0
            repeat {
                p[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10)
                m /= 10
                n += 1
            } while m > 0
            if v < 0 {
                p[n] = UInt8(ascii: "-")
                n += 1
            }
            var (a, b) = (0, n - 1)
            while a < b {
                p.swapAt(a, b)
                a += 1
                b -= 1
            }
            return n
        }
    }

    /// A double as its shortest text that reads back as the same value (PostgreSQL parses exactly).
    static func number(_ d: Double, _ out: inout ByteBuffer) { text(d.description, &out) }

    /// `s` with the COPY escapes for backslash, tab, newline and carriage return.
    static func text(_ s: String, _ out: inout ByteBuffer) {
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
