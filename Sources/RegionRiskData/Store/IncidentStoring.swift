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

    /// Reads the request's file and stores its events in one transaction: killed midway, the
    /// store is exactly as before (see `ingest(file:reader:areaFilter:deletions:strict:progress:)`).
    func ingest(_ request: IngestRequest, progress: ((IngestProgress) -> Void)?) throws -> IngestSummary

    /// Matching events ordered by day (undated last), source and id.
    func query(_ q: IncidentQuery) throws -> [Incident]
    /// Streams matching events, with geocode and provenance, in `query`'s order.
    func forEach(_ q: IncidentQuery, _ body: (StoredIncident) throws -> Void) throws
    /// Number of matching events.
    func count(_ q: IncidentQuery) throws -> Int
    /// How many stored events have fatalities outside `ParameterLimits.fatalities` (written by
    /// an older RegionRisk or edited by hand; `query` reads them as unknown).
    func countFatalitiesOutOfRange() throws -> Int
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

/// What one ingest is asked to do, the same for every backend.
///
/// Not `Sendable`: it carries the caller's area filter, which an ingest calls on the caller's
/// thread only.
public struct IngestRequest {
    /// The incident file (ACLED, UCDP GED, plain CSV or GeoJSON; see `IncidentFileReader`).
    public var file: URL
    public var reader: IncidentFileReader
    /// False for an event outside the area: it is listed in the summary, not stored.
    public var areaFilter: ((LonLat) -> Bool)?
    /// ACLED's deleted-events file (an `event_id_cnty` column, or one id per line).
    public var deletions: URL?
    /// Any rejected row rolls the whole ingest back (`IngestError.rejectedRowsInStrictMode`).
    public var strict: Bool

    public init(file: URL, reader: IncidentFileReader, areaFilter: ((LonLat) -> Bool)? = nil, deletions: URL? = nil, strict: Bool = false) {
        self.file = file
        self.reader = reader
        self.areaFilter = areaFilter
        self.deletions = deletions
        self.strict = strict
    }
}

extension IncidentStoring {
    /// Reads `file` and stores its events in one transaction: killed midway, the store is
    /// exactly as before. Events are keyed by (source, source event id): a repeat changes
    /// nothing, an edit updates the stored event (and its provenance). Events for which
    /// `areaFilter` is false are listed in the summary, not stored. Ids listed in `deletions`
    /// (ACLED's deleted-events file: an `event_id_cnty` column, or one id per line) are removed.
    /// With `strict`, any rejected row rolls everything back and throws
    /// `IngestError.rejectedRowsInStrictMode`.
    ///
    /// Throws when the file cannot be read at all (`IncidentFileError`, `CSVError`), or the
    /// backend's error (`IncidentStoreError`; `isBusy` when locked longer than the busy timeout).
    public func ingest(
        file: URL, reader: IncidentFileReader, areaFilter: ((LonLat) -> Bool)? = nil, deletions: URL? = nil,
        strict: Bool = false, progress: ((IngestProgress) -> Void)? = nil
    ) throws -> IngestSummary {
        try ingest(IngestRequest(file: file, reader: reader, areaFilter: areaFilter, deletions: deletions, strict: strict), progress: progress)
    }

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
    /// Inserts or updates `record` under `runID`; `contentHash` is its `IncidentStore.contentHash`
    /// (computed on the reading thread, see `IngestReadAhead`). Returns how many rows were written
    /// so far and not yet reported (a backend that batches may return 0 until `flush`).
    mutating func upsert(_ record: IncidentRecord, contentHash: Int64, runID: Int64) throws -> Int
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
        _ tx: inout T, summary: inout IngestSummary, _ request: IngestRequest, _ prepared: Prepared,
        progress: ((IngestProgress) -> Void)?
    ) throws -> Bool {
        let file = request.file, reader = request.reader, areaFilter = request.areaFilter
        let totalBytes = prepared.totalBytes, deletionIDs = prepared.deletionIDs
        let countBefore = try tx.incidentCount()
        let runID = try tx.beginRun(fileName: file.lastPathComponent, filePath: file.path, startedAt: summary.ingestedAt)
        let hasher = BackgroundSHA256()
        var accepted = 0
        var changed = 0
        var outside: [OutsideAreaEvent] = []
        // The file is read on a thread of its own while this one writes (`IngestReadAhead`).
        let readAhead = IngestReadAhead(reader: reader, file: file, onBytes: { hasher.update($0) })
        do {
            while let batch = try readAhead.next() {
                for (k, record) in batch.records.enumerated() {
                    if let areaFilter, !areaFilter(record.incident.location) {
                        outside.append(OutsideAreaEvent(
                            sourceEventID: record.incident.sourceEventID, line: record.line, location: record.incident.location))
                        continue
                    }
                    accepted += 1
                    changed += try tx.upsert(record, contentHash: batch.contentHashes[k], runID: runID)
                    if accepted % 16_384 == 0 {
                        progress?(IngestProgress(rowsRead: accepted + outside.count, bytesRead: batch.bytesRead, totalBytes: totalBytes))
                    }
                }
            }
        } catch {
            readAhead.cancel()
            _ = readAhead.finish()
            throw error
        }
        guard let read = readAhead.finish() else {
            throw IncidentFileError(file: file.path, reason: "the reader stopped before the end of the file")
        }
        let info = read.info, rejected = read.rejected
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
        if request.strict, !summary.rejected.isEmpty { return false }
        try tx.finishRun(runID, summary)
        summary.runID = runID
        try FaultInjection.point("ingest.before-commit")
        return true
    }

    /// What every ingest reads before it locks the store.
    package struct Prepared {
        /// The ids of the deletions file (none without one).
        package var deletionIDs: [String]
        /// The file's size in bytes (0 when unknown), for progress and the bulk-load choice.
        package var totalBytes: Int
        /// The summary so far: the file and the ingest's start time.
        package var summary: IngestSummary
    }

    /// The start of every ingest: the deletions read (a bad deletions file fails before anything
    /// is locked), the file's size, the summary with its start time.
    package static func prepare(_ request: IngestRequest) throws -> Prepared {
        let ids = try request.deletions.map(IncidentDeletions.read) ?? []
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: request.file.path)[.size] as? Int) ?? 0
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return Prepared(deletionIDs: ids, totalBytes: totalBytes,
                        summary: IngestSummary(file: request.file.path, ingestedAt: formatter.string(from: Date())))
    }
}
