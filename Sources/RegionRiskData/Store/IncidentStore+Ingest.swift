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
        "line \(line): \(sourceEventID) at \(String(format: "%.6f, %.6f", location.lat, location.lon)) (lat, lon)"
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
                reason: "outside the area of interest: \($0.sourceEventID) at \(String(format: "%.6f, %.6f", $0.location.lat, $0.location.lon)) (lat, lon)",
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
    /// Reads `file` and stores its events in one transaction: killed midway, the database is
    /// exactly as before. Events are keyed by (source, source event id): a repeat changes
    /// nothing, an edit updates the stored event (and its provenance). Events for which
    /// `areaFilter` is false are listed in the summary, not stored. Ids listed in `deletions`
    /// (ACLED's deleted-events file: an `event_id_cnty` column, or one id per line) are removed.
    /// With `strict`, any rejected row rolls everything back and throws
    /// `IngestError.rejectedRowsInStrictMode`.
    ///
    /// Throws when the file cannot be read at all (`IncidentFileError`, `CSVError`) or the
    /// database is locked for longer than `busyTimeout` (`IncidentStoreError`, `isBusy`).
    public func ingest(
        file: URL, reader: IncidentFileReader, areaFilter: ((LonLat) -> Bool)? = nil, deletions: URL? = nil,
        strict: Bool = false, progress: ((IngestProgress) -> Void)? = nil
    ) throws -> IngestSummary {
        // Read the deletions first, so a bad deletions file fails before anything is locked.
        let deletionIDs = try deletions.map(IncidentDeletions.read) ?? []
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var summary = IngestSummary(file: file.path, ingestedAt: formatter.string(from: Date()))
        var rolledBack = false

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
                    let bulk = totalBytes / Self.bytesPerRowEstimate > 4 * countBefore
                    if bulk { try Self.dropSecondaryIndexes(db) }
                    try db.execute(
                        sql: "INSERT INTO ingest_run (file_name, file_path, file_sha256, format, source, started_at) VALUES (?, ?, '', '', '', ?)",
                        arguments: [file.lastPathComponent, file.path, summary.ingestedAt])
                    let runID = db.lastInsertedRowID
                    let upsert = try IncidentUpsert(db, runID: runID)
                    let hasher = BackgroundSHA256()
                    var bytesRead = 0
                    var accepted = 0
                    var changed = 0
                    let info = try reader.stream(
                        file,
                        onBytes: { chunk in
                            hasher.update(chunk)
                            bytesRead += chunk.count
                        },
                        { record in
                            if let areaFilter, !areaFilter(record.incident.location) {
                                summary.outsideArea.append(OutsideAreaEvent(
                                    sourceEventID: record.incident.sourceEventID, line: record.line, location: record.incident.location))
                                return
                            }
                            accepted += 1
                            if try upsert(record) { changed += 1 }
                            if accepted % 16_384 == 0 {
                                progress?(IngestProgress(rowsRead: accepted + summary.outsideArea.count, bytesRead: bytesRead, totalBytes: totalBytes))
                            }
                        },
                        rejected: { summary.rejected.append($0) })
                    summary.sha256 = hasher.finish()
                    summary.format = info.format
                    summary.source = reader.source ?? info.format.defaultSource
                    summary.rowsRead = info.rowsRead
                    summary.skipped = info.duplicatesSkipped
                    summary.notes = info.notes
                    if bulk { try Self.createSecondaryIndexes(db) }
                    let countAfter = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incident") ?? 0
                    summary.added = countAfter - countBefore
                    summary.updated = changed - summary.added
                    summary.unchanged = accepted - changed

                    if !deletionIDs.isEmpty {
                        let delete = try db.makeStatement(sql: "DELETE FROM incident WHERE source = ? AND source_event_id = ?")
                        for id in deletionIDs {
                            try delete.execute(arguments: [summary.source, id])
                            summary.deleted += db.changesCount
                        }
                        summary.deletionsNotFound = deletionIDs.count - summary.deleted
                    }
                    if strict, !summary.rejected.isEmpty {
                        rolledBack = true
                        return .rollback
                    }
                    try db.execute(
                        sql: """
                            UPDATE ingest_run SET file_sha256 = ?, format = ?, source = ?, rows_read = ?, added = ?, updated = ?,
                                unchanged = ?, skipped = ?, rejected = ?, outside_area = ?, deleted = ? WHERE id = ?
                            """,
                        arguments: [
                            summary.sha256, summary.format.rawValue, summary.source, summary.rowsRead, summary.added, summary.updated,
                            summary.unchanged, summary.skipped, summary.rejected.count, summary.outsideArea.count, summary.deleted, runID,
                        ])
                    summary.runID = runID
                    return .commit
                }
            }
        } catch let e as DatabaseError {
            throw IncidentStoreError.wrapping(e, path: path, busyTimeout: busyTimeout)
        }
        if rolledBack { throw IngestError.rejectedRowsInStrictMode(summary) }
        return summary
    }

    static let upsertSQL = """
        INSERT INTO incident (
            source, source_event_id, event_day, lon, lat, location_precision, place, admin1, event_type, actor,
            fatalities, weight, geocode_name, geocode_geonameid, geocode_admin1, geocode_confidence, geocode_ambiguous,
            content_hash, ingest_run_id, source_line)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (source, source_event_id) DO UPDATE SET
            event_day = excluded.event_day, lon = excluded.lon, lat = excluded.lat,
            location_precision = excluded.location_precision, place = excluded.place, admin1 = excluded.admin1,
            event_type = excluded.event_type, actor = excluded.actor, fatalities = excluded.fatalities,
            weight = excluded.weight, geocode_name = excluded.geocode_name, geocode_geonameid = excluded.geocode_geonameid,
            geocode_admin1 = excluded.geocode_admin1, geocode_confidence = excluded.geocode_confidence,
            geocode_ambiguous = excluded.geocode_ambiguous, content_hash = excluded.content_hash,
            ingest_run_id = excluded.ingest_run_id, source_line = excluded.source_line
        WHERE incident.content_hash <> excluded.content_hash
        """

    /// A hash of everything stored about an event except its key and provenance: equal hashes
    /// mean a re-ingested row is unchanged.
    static func contentHash(_ r: IncidentRecord) -> Int64 {
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
        return Int64(bitPattern: h.value)
    }
}

/// SHA-256 computed on another thread from copies of the chunks the parser reads, so hashing
/// (a fifth of a 1M-row ingest's CPU time) overlaps parsing and the hash is of exactly the
/// bytes parsed. At most 16 chunks (16 MiB) wait at once.
final class BackgroundSHA256: @unchecked Sendable {
    private var hash = SHA256()  // touched only on `queue`
    private let queue = DispatchQueue(label: "regionrisk.ingest.sha256")
    private let slots = DispatchSemaphore(value: 16)

    func update(_ chunk: UnsafeRawBufferPointer) {
        let copy = Data(chunk)
        slots.wait()
        queue.async {
            self.hash.update(copy)
            self.slots.signal()
        }
    }

    /// Waits for the queued chunks and returns the digest, hex.
    func finish() -> String { queue.sync { hash.finalizeHex() } }
}

/// ACLED's deleted-events list: a CSV with an `event_id_cnty` (or `event_id`, `id`) column, or
/// a plain list with one id per line.
enum IncidentDeletions {
    static func read(_ url: URL) throws -> [String] {
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
