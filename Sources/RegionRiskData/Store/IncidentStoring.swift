import Foundation
import RegionRiskBase

/// An incident store: the operations the commands need, whatever holds the events.
/// `IncidentStore` (one SQLite file) is the embedded default; RegionRiskPostgres adds a
/// PostgreSQL + PostGIS one. `IncidentStores.open` (RegionRiskPostgres) picks by `--db` value.
///
/// Semantics every implementation keeps: events are keyed by (source, source event id); an
/// ingest is one transaction (killed midway, the store is exactly as before); concurrent
/// ingests serialise, and readers see the store before or after an ingest, never between.
public protocol IncidentStoring: RunHistoryStore, Sendable {
    /// What to call the store in messages: a path, or a URL without its password.
    var displayName: String { get }

    /// Reads `file` and stores its events in one transaction (see `IncidentStore.ingest`).
    func ingest(
        file: URL, reader: IncidentFileReader, areaFilter: ((LonLat) -> Bool)?, deletions: URL?,
        strict: Bool, progress: ((IngestProgress) -> Void)?
    ) throws -> IngestSummary

    /// Matching events ordered by day (undated last), source and id.
    func query(_ q: IncidentQuery) throws -> [Incident]
    /// Streams matching events, with geocode and provenance, in `query`'s order.
    func forEach(_ q: IncidentQuery, _ body: (StoredIncident) throws -> Void) throws
    /// Number of matching events.
    func count(_ q: IncidentQuery) throws -> Int
    /// The (west, south, east, north) extent of matching events, degrees; nil when none match.
    func extent(_ q: IncidentQuery) throws -> IncidentQuery.BoundingBox?
    /// Past ingests, newest first.
    func ingestRuns() throws -> [IngestRun]
    /// Throws `IncidentStoreError` when the store is damaged or cannot be read.
    func quickCheck() throws

    /// Everything the store holds, for `regionrisk store copy`: ingest runs (oldest first),
    /// report runs (oldest first), and each event with the id of the run it points to.
    func snapshot(_ body: (StoreSnapshotItem) throws -> Void) throws
    /// Loads a snapshot into this store, which must hold no events and no runs; one transaction.
    func restore(_ items: (_ put: (StoreSnapshotItem) throws -> Void) throws -> Void) throws
}

/// One piece of a store's content, as `snapshot` hands it out and `restore` takes it.
public enum StoreSnapshotItem: Sendable {
    case ingestRun(IngestRun)
    /// A report run: its as-of day, creation time (ISO 8601) and regions as RunHistory JSON.
    case reportRun(asOf: String, createdAt: String, regionsJSON: String)
    /// An event, its source line and the ingest run it came from.
    case incident(IncidentRecord, runID: Int64)
}

extension IncidentStoring {
    /// All stored events.
    public func query() throws -> [Incident] { try query(IncidentQuery()) }
    /// Number of stored events.
    public func count() throws -> Int { try count(IncidentQuery()) }
}

/// The write side of one ingest transaction, as a backend provides it; `IngestDriver` does the
/// reading, filtering and counting, so every backend rejects, counts and words alike.
package protocol IngestTransaction {
    /// Events stored now (inside the transaction).
    func incidentCount() throws -> Int
    /// Inserts the run's row (counts still zero) and returns its id.
    func beginRun(fileName: String, filePath: String, startedAt: String) throws -> Int64
    /// Inserts or updates `record` under `runID`; returns how many rows were written so far and
    /// not yet reported (a backend that batches may return 0 until `flush`).
    mutating func upsert(_ record: IncidentRecord, runID: Int64) throws -> Int
    /// Writes what is batched; returns rows written and not yet reported.
    mutating func flush(runID: Int64) throws -> Int
    /// Deletes (source, id) for each id; returns how many were stored.
    func delete(source: String, ids: [String]) throws -> Int
    /// Records the run's final counts.
    func finishRun(_ runID: Int64, _ summary: IngestSummary) throws
}

/// The part of an ingest every backend shares: stream the file, leave out events outside the
/// area, upsert the rest, apply deletions, fill in the summary.
package enum IngestDriver {
    /// Runs inside the backend's transaction. Returns false when `strict` found rejected rows
    /// (the caller rolls back and throws `IngestError.rejectedRowsInStrictMode`).
    package static func fill<T: IngestTransaction>(
        _ tx: inout T, summary: inout IngestSummary, file: URL, reader: IncidentFileReader, areaFilter: ((LonLat) -> Bool)?,
        deletionIDs: [String], strict: Bool, totalBytes: Int, progress: ((IngestProgress) -> Void)?
    ) throws -> Bool {
        let countBefore = try tx.incidentCount()
        let runID = try tx.beginRun(fileName: file.lastPathComponent, filePath: file.path, startedAt: summary.ingestedAt)
        let hasher = BackgroundSHA256()
        var bytesRead = 0
        var accepted = 0
        var changed = 0
        var outside: [OutsideAreaEvent] = []
        var rejected: [RejectedRow] = []
        let info = try reader.stream(
            file,
            onBytes: { chunk in
                hasher.update(chunk)
                bytesRead += chunk.count
            },
            { record in
                if let areaFilter, !areaFilter(record.incident.location) {
                    outside.append(OutsideAreaEvent(
                        sourceEventID: record.incident.sourceEventID, line: record.line, location: record.incident.location))
                    return
                }
                accepted += 1
                changed += try tx.upsert(record, runID: runID)
                if accepted % 16_384 == 0 {
                    progress?(IngestProgress(rowsRead: accepted + outside.count, bytesRead: bytesRead, totalBytes: totalBytes))
                }
            },
            rejected: { rejected.append($0) })
        changed += try tx.flush(runID: runID)
        summary.outsideArea = outside
        summary.rejected = rejected
        summary.sha256 = hasher.finish()
        summary.format = info.format
        summary.source = reader.source ?? info.format.defaultSource
        summary.rowsRead = info.rowsRead
        summary.skipped = info.duplicatesSkipped
        summary.notes = info.notes
        let countAfter = try tx.incidentCount()
        summary.added = countAfter - countBefore
        summary.updated = changed - summary.added
        summary.unchanged = accepted - changed
        if !deletionIDs.isEmpty {
            summary.deleted = try tx.delete(source: summary.source, ids: deletionIDs)
            summary.deletionsNotFound = deletionIDs.count - summary.deleted
        }
        if strict, !summary.rejected.isEmpty { return false }
        try tx.finishRun(runID, summary)
        summary.runID = runID
        try FaultInjection.point("ingest.before-commit")
        return true
    }

    /// The start of every ingest: the deletions read (a bad deletions file fails before anything
    /// is locked), the file's size, the summary with its start time.
    package static func prepare(file: URL, deletions: URL?) throws -> (ids: [String], totalBytes: Int, summary: IngestSummary) {
        let ids = try deletions.map(IncidentDeletions.read) ?? []
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return (ids, totalBytes, IngestSummary(file: file.path, ingestedAt: formatter.string(from: Date())))
    }
}
