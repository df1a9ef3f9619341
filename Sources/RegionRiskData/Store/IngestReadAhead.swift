import Foundation

/// Reads an incident file on a thread of its own while the caller's thread writes the store.
///
/// An ingest is two halves of about equal cost: reading (CSV splitting, row interpretation,
/// duplicate filtering) and writing (the backend's statements and index upkeep). Run one after
/// the other on one thread they leave the second core idle; here the reader hands records over
/// in batches, in file order, through a bounded hand-off, so the two overlap and what is written
/// is exactly what the synchronous stream would have given, in the same order.
///
/// - The transaction and every callback the caller passes stay on the caller's thread: only
///   `IncidentFileReader.stream` and `IncidentStore.contentHash` run on the reader thread (the
///   hash, over every text field, was a tenth of the writing thread's time at 1M rows, and the
///   writing thread sets an ingest's pace).
/// - At most `queuedBatches` batches wait, so memory stays bounded however large the file is.
/// - A failure of either side ends both: a reader error is rethrown by `next()` after the
///   batches before it; `cancel()` (the writer failed) stops the reader at its next record.
///   `finish()` always waits for the reader thread to end, so nothing reads on after the
///   ingest returns or rolls back.
final class IngestReadAhead: @unchecked Sendable {
    /// Records per hand-off: large enough that locking is negligible per record, small enough
    /// that the writer starts at once.
    static let batchSize = 4_096
    static let queuedBatches = 4

    /// One hand-off: records in file order, each one's `IncidentStore.contentHash`, and the
    /// bytes read when it was made (for progress).
    struct Batch {
        var records: [IncidentRecord]
        var contentHashes: [Int64]
        var bytesRead: Int
    }

    /// What the reader saw besides the records, complete once `next()` has returned nil.
    struct Outcome {
        var info: IncidentStreamInfo
        var rejected: [RejectedRow]
        var bytesRead: Int
    }

    private struct Cancelled: Error {}

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Batch] = []
    private var readerDone = false
    private var cancelled = false
    private var failure: (any Error)?
    private var outcome: Outcome?
    private let ended = DispatchSemaphore(value: 0)

    /// Starts reading `file` with `reader`; `onBytes` sees the raw bytes on the reader thread,
    /// as `IncidentFileReader.stream` gives them.
    init(reader: IncidentFileReader, file: URL, onBytes: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        let thread = Thread { [self] in
            defer { ended.signal() }
            var batch: [IncidentRecord] = [], hashes: [Int64] = []
            batch.reserveCapacity(Self.batchSize)
            hashes.reserveCapacity(Self.batchSize)
            var rejected: [RejectedRow] = []
            var bytesRead = 0
            do {
                let info = try reader.stream(
                    file,
                    onBytes: { chunk in
                        onBytes(chunk)
                        bytesRead += chunk.count
                    },
                    { record in
                        batch.append(record)
                        hashes.append(IncidentStore.contentHash(record))
                        if batch.count == Self.batchSize {
                            try self.hand(Batch(records: batch, contentHashes: hashes, bytesRead: bytesRead))
                            batch.removeAll(keepingCapacity: true)
                            hashes.removeAll(keepingCapacity: true)
                        }
                    },
                    rejected: { rejected.append($0) })
                if !batch.isEmpty { try hand(Batch(records: batch, contentHashes: hashes, bytesRead: bytesRead)) }
                end(outcome: Outcome(info: info, rejected: rejected, bytesRead: bytesRead), failure: nil)
            } catch is Cancelled {
                end(outcome: nil, failure: nil)
            } catch {
                end(outcome: nil, failure: error)
            }
        }
        thread.name = "regionrisk.ingest.read"
        thread.start()
    }

    /// Waits while the hand-off is full; throws `Cancelled` once the writer gave up.
    private func hand(_ batch: Batch) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.queuedBatches && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        queue.append(batch)
        condition.broadcast()
    }

    private func end(outcome: Outcome?, failure: (any Error)?) {
        condition.lock()
        self.outcome = outcome
        self.failure = failure
        readerDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in file order; nil at the end of the file. Rethrows the reader's error
    /// once the batches read before it are taken.
    func next() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !readerDone { condition.wait() }
        if !queue.isEmpty {
            let batch = queue.removeFirst()
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the reader (the writer failed); `finish()` still has to be called.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the reader thread to end and returns what it saw (nil when cancelled or failed).
    func finish() -> Outcome? {
        ended.wait()
        ended.signal()  // a second call returns at once
        condition.lock()
        defer { condition.unlock() }
        return outcome
    }
}
