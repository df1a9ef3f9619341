import Foundation
import GRDB
import RegionRiskBase

/// An event left out because it lies outside the area of interest.
public struct OutsideAreaEvent: Sendable, Hashable, CustomStringConvertible {
    public var sourceEventID: String
    /// The line the event starts on in the input file.
    public var line: Int
    public var location: LonLat

    /// `line 12: MLI123 at 16.123456, 12.500000 (lat, lon)`
    public var description: String {
        "line \(line): \(sourceEventID) at \(latLonText) (lat, lon)"
    }

    /// `16.123456, 12.500000`: latitude and longitude with six decimals, as C's `%.6f` writes
    /// them. Formatted by `vsnprintf` into a stack buffer: Foundation's `String(format:)` made
    /// writing the rejects file of a 1M-row export (91k events outside Mali) take 0.4 s.
    var latLonText: String {
        let capacity = 64
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer -> String in
            let n = withVaList([location.lat, location.lon]) { vsnprintf(buffer.baseAddress!, capacity, "%.6f, %.6f", $0) }
            // A coordinate too large for the buffer (never a valid longitude or latitude).
            guard n >= 0, n < capacity else { return String(format: "%.6f, %.6f", location.lat, location.lon) }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(n)), as: UTF8.self)
        }
    }
}

/// What one ingest did.
public struct IngestSummary: Sendable {
    /// The input file's path.
    public var file: String
    /// SHA-256 of the input file, hex.
    public var sha256: String = ""
    public var format: IncidentFileFormat = .csv
    /// `Incident.source` of the events read.
    public var source: String = ""
    /// When the ingest started, ISO 8601 UTC.
    public var ingestedAt: String
    /// The `ingest_run` row; nil when nothing was committed (`strict` with rejected rows).
    public var runID: Int64?
    /// Data rows read.
    public var rowsRead = 0
    /// Events new to the store.
    public var added = 0
    /// Events already stored whose content changed.
    public var updated = 0
    /// Events already stored exactly as read.
    public var unchanged = 0
    /// Rows repeating an event already read from the same file (ACLED lists an event once per actor).
    public var skipped = 0
    public var rejected: [RejectedRow] = []
    /// Events outside the area of interest: not stored, listed here.
    public var outsideArea: [OutsideAreaEvent] = []
    /// Events removed by the deletions file.
    public var deleted = 0
    /// Ids in the deletions file that were not stored.
    public var deletionsNotFound = 0
    /// Things the user should know that are not row errors (Latin-1 bytes, no date column...).
    public var notes: [String] = []

    /// Events in the file now in the store (added, updated or unchanged).
    public var stored: Int { added + updated + unchanged }

    /// The rejects-file rows: rejected rows, then events outside the area of interest.
    public var rejectsFileRows: [RejectedRow] {
        let name = URL(fileURLWithPath: file).lastPathComponent
        return rejected + outsideArea.map {
            RejectedRow(
                file: name, line: $0.line, column: nil,
                reason: "outside the area of interest: \($0.sourceEventID) at \($0.latLonText) (lat, lon)",
                rawRecord: "")
        }
    }
}

/// How far an ingest has got, for progress display.
public struct IngestProgress: Sendable {
    public var rowsRead: Int
    public var bytesRead: Int
    public var totalBytes: Int
}

/// An ingest that stored nothing, with what it found.
public enum IngestError: LocalizedError {
    /// `strict` was asked and rows were rejected: the transaction was rolled back.
    case rejectedRowsInStrictMode(IngestSummary)

    public var errorDescription: String? {
        switch self {
        case let .rejectedRowsInStrictMode(s):
            let first = s.rejected.first.map { "; first: \($0)" } ?? ""
            return "\(s.file): \(s.rejected.count) row\(s.rejected.count == 1 ? "" : "s") rejected in strict mode, so nothing was stored\(first)"
        }
    }
}

extension IncidentStore {
    /// One ingest in one SQLite transaction (see `IncidentStoring.ingest(file:reader:…)`); a
    /// file much bigger than the store is bulk-loaded (secondary indexes rebuilt at the end).
    public func ingest(_ request: IngestRequest, progress: ((IngestProgress) -> Void)?) throws -> IngestSummary {
        let prepared = try IngestDriver.prepare(request)
        var summary = prepared.summary
        var rolledBack = false
        try quickCheck()
        // Committed frames left in the WAL by an earlier process are copied into the file now,
        // while there is room: should this ingest then fill the disk, its WAL holds only
        // rolled-back frames and can be truncated (see `truncateWriteAheadLog`).
        truncateWriteAheadLog()

        do {
            try database.writeWithoutTransaction { db in
                // A big page cache while writing, so index pages are written to the WAL once
                // rather than spilled and rewritten; given back afterwards.
                try db.execute(sql: "PRAGMA cache_size = -\(Self.ingestCacheKiB)")
                defer { try? db.execute(sql: "PRAGMA cache_size = -\(Self.defaultCacheKiB)") }
                try db.inTransaction(.immediate) {
                    let countBefore = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incident") ?? 0
                    // Loading a file much bigger than the store: inserting into the secondary
                    // indexes row by row dirties pages all over them, so drop them and rebuild
                    // them by sorting at the end (same transaction, so a kill still undoes all).
                    let bulk = prepared.totalBytes / Self.bytesPerRowEstimate > 4 * countBefore
                    if bulk { try Self.dropSecondaryIndexes(db) }
                    var tx = SQLiteIngestTransaction(db: db)
                    let complete = try IngestDriver.fill(&tx, summary: &summary, request, prepared, progress: progress)
                    if bulk { try Self.createSecondaryIndexes(db) }
                    rolledBack = !complete
                    return complete ? .commit : .rollback
                }
            }
        } catch let e as DatabaseError {
            truncateWriteAheadLog()
            throw IncidentStoreError.wrapping(e, path: path, busyTimeout: busyTimeout)
        } catch {
            truncateWriteAheadLog()
            throw error
        }
        if rolledBack { throw IngestError.rejectedRowsInStrictMode(summary) }
        return summary
    }

    static let upsertSQL = """
        INSERT INTO incident (
            source, source_event_id, event_day, lon, lat, location_precision, place, admin1, event_type, actor,
            fatalities, weight, geocode_name, geocode_geonameid, geocode_admin1, geocode_confidence, geocode_ambiguous,
            content_hash, ingest_run_id, source_line, source_url, source_title, notes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (source, source_event_id) DO UPDATE SET
            event_day = excluded.event_day, lon = excluded.lon, lat = excluded.lat,
            location_precision = excluded.location_precision, place = excluded.place, admin1 = excluded.admin1,
            event_type = excluded.event_type, actor = excluded.actor, fatalities = excluded.fatalities,
            weight = excluded.weight, geocode_name = excluded.geocode_name, geocode_geonameid = excluded.geocode_geonameid,
            geocode_admin1 = excluded.geocode_admin1, geocode_confidence = excluded.geocode_confidence,
            geocode_ambiguous = excluded.geocode_ambiguous, content_hash = excluded.content_hash,
            ingest_run_id = excluded.ingest_run_id, source_line = excluded.source_line,
            source_url = excluded.source_url, source_title = excluded.source_title, notes = excluded.notes
        WHERE incident.content_hash <> excluded.content_hash
        """

    /// A hash of everything stored about an event except its key and provenance: equal hashes
    /// mean a re-ingested row is unchanged.
    package static func contentHash(_ r: IncidentRecord) -> Int64 {
        let i = r.incident
        var h = FNV1a64()
        h.add(i.date?.dayNumber ?? Int.min)
        h.add(i.location.lon)
        h.add(i.location.lat)
        h.add(i.locationPrecision.rawValue)
        h.add(i.place)
        h.add(i.admin1)
        h.add(i.eventType)
        h.add(i.actor)
        h.add(i.fatalities ?? -1)
        h.add(i.weight ?? -1)
        if let g = r.geocode {
            h.add(g.matchedName)
            h.add(g.geonameID ?? -1)
            h.add(g.admin1)
            h.add(g.confidence)
            h.add(g.isAmbiguous ? 1 : 0)
        } else {
            h.add(-2)
        }
        // Only when given, so events without them hash as before these fields were stored.
        if i.sourceURL != nil || i.sourceTitle != nil || i.notes != nil {
            h.add(i.sourceURL)
            h.add(i.sourceTitle)
            h.add(i.notes)
        }
        return Int64(bitPattern: h.value)
    }
}

/// One SQLite ingest's writes, inside the transaction `IncidentStore.ingest` opened.
struct SQLiteIngestTransaction: IngestTransaction {
    let db: Database
    private var statement: IncidentUpsert?

    init(db: Database) { self.db = db }

    func incidentCount() throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incident") ?? 0 }

    func beginRun(fileName: String, filePath: String, startedAt: String) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO ingest_run (file_name, file_path, file_sha256, format, source, started_at) VALUES (?, ?, '', '', '', ?)",
            arguments: [fileName, filePath, startedAt])
        return db.lastInsertedRowID
    }

    mutating func upsert(_ record: IncidentRecord, contentHash: Int64, runID: Int64) throws -> Int {
        if statement == nil { statement = try IncidentUpsert(db, runID: runID) }
        return try statement!(record, contentHash: contentHash) ? 1 : 0
    }

    func flush(runID: Int64) throws -> Int { 0 }

    func delete(source: String, ids: [String]) throws -> Int {
        let delete = try db.makeStatement(sql: "DELETE FROM incident WHERE source = ? AND source_event_id = ?")
        var n = 0
        for id in ids {
            try delete.execute(arguments: [source, id])
            n += db.changesCount
        }
        return n
    }

    func finishRun(_ runID: Int64, _ s: IngestSummary) throws {
        try db.execute(
            sql: """
                UPDATE ingest_run SET file_sha256 = ?, format = ?, source = ?, rows_read = ?, added = ?, updated = ?,
                    unchanged = ?, skipped = ?, rejected = ?, outside_area = ?, deleted = ? WHERE id = ?
                """,
            arguments: [
                s.sha256, s.format.rawValue, s.source, s.rowsRead, s.added, s.updated,
                s.unchanged, s.skipped, s.rejected.count, s.outsideArea.count, s.deleted, runID,
            ])
    }
}

/// ACLED's deleted-events list: a CSV with an `event_id_cnty` (or `event_id`, `id`) column, or
/// a plain list with one id per line.
package enum IncidentDeletions {
    package static func read(_ url: URL) throws -> [String] {
        let csv = try CSVReader(url: url)
        var ids: [String] = []
        var column: Int?
        var first = true
        try csv.forEachRecord { r in
            if first {
                first = false
                let header = r.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                column = ["event_id_cnty", "event_id", "id"].lazy.compactMap { header.firstIndex(of: $0) }.first
                if column != nil { return }
                column = 0
            }
            guard let k = column, k < r.count, !r.isBlank(k) else { return }
            ids.append(r.string(k))
        }
        if first { throw IncidentFileError(file: url.path, reason: "is empty (expected deleted event ids)") }
        return ids
    }
}
