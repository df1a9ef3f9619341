import Foundation
import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData

/// The ingest's read-ahead thread hands over exactly what the synchronous stream gives, in order,
/// and ends when either side fails.
final class IngestReadAheadTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("read-ahead-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// More records than the hand-off holds (several full batches and a partial one), with
    /// rejected rows among them: the same records in the same order, the same rejections, the
    /// same stream info and byte count as one synchronous pass.
    func testHandsOverWhatTheStreamGives() throws {
        let rows = IngestReadAhead.batchSize * (IngestReadAhead.queuedBatches + 2) + 123
        let file = dir.appendingPathComponent("gen.csv")
        try ACLEDFileGenerator(rows: rows, seed: 7).write(to: file)
        // Two rows made bad: they must come back as rejections at their lines.
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        lines[10] = lines[10].replacingOccurrences(of: ",20", with: ",x20", options: [], range: lines[10].range(of: ",20"))
        lines[rows - 5] = lines[rows - 5] + ",extra,fields"
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

        let reader = IncidentFileReader()
        var expected: [IncidentRecord] = [], expectedRejected: [RejectedRow] = [], expectedBytes = 0
        let expectedInfo = try reader.stream(file, onBytes: { expectedBytes += $0.count }, { expected.append($0) },
                                             rejected: { expectedRejected.append($0) })
        XCTAssertFalse(expectedRejected.isEmpty)

        let hashed = ByteCounter()
        let readAhead = IngestReadAhead(reader: reader, file: file, onBytes: { hashed.add($0.count) })
        var got: [IncidentRecord] = []
        var lastBytes = 0
        while let batch = try readAhead.next() {
            XCTAssertLessThanOrEqual(batch.records.count, IngestReadAhead.batchSize)
            XCTAssertGreaterThanOrEqual(batch.bytesRead, lastBytes)
            lastBytes = batch.bytesRead
            XCTAssertEqual(batch.contentHashes, batch.records.map(IncidentStore.contentHash), "each record's hash, in order")
            got += batch.records
        }
        let outcome = try XCTUnwrap(readAhead.finish())
        XCTAssertEqual(got, expected)
        XCTAssertEqual(outcome.info, expectedInfo)
        XCTAssertEqual(outcome.rejected.map(\.description), expectedRejected.map(\.description))
        XCTAssertEqual(outcome.bytesRead, expectedBytes)
        XCTAssertEqual(hashed.total, expectedBytes)
        XCTAssertNil(try readAhead.next(), "the end stays the end")
    }

    /// A reader error reaches the writer, after nothing or after the batches read before it.
    func testReaderErrorIsRethrown() throws {
        let file = dir.appendingPathComponent("undated.csv")
        try "event_id,latitude,longitude\n1,14.5,-4.2\n".write(to: file, atomically: true, encoding: .utf8)
        var reader = IncidentFileReader()
        reader.requiresDateColumn = true
        let readAhead = IngestReadAhead(reader: reader, file: file, onBytes: { _ in })
        XCTAssertThrowsError(try readAhead.next()) { error in
            XCTAssertTrue(error is IncidentFileError, "\(error)")
        }
        XCTAssertNil(readAhead.finish())

        let missing = IngestReadAhead(reader: IncidentFileReader(), file: dir.appendingPathComponent("absent.csv"), onBytes: { _ in })
        XCTAssertThrowsError(try missing.next())
        XCTAssertNil(missing.finish())
    }

    /// The writer gives up after one batch: the reader stops at its next hand-off instead of
    /// reading the rest of the file, and `finish` returns once it has.
    func testCancelStopsTheReader() throws {
        let file = dir.appendingPathComponent("gen.csv")
        try ACLEDFileGenerator(rows: IngestReadAhead.batchSize * (IngestReadAhead.queuedBatches + 6), seed: 8).write(to: file)
        let total = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as! Int
        let hashed = ByteCounter()
        let readAhead = IngestReadAhead(reader: IncidentFileReader(), file: file, onBytes: { hashed.add($0.count) })
        _ = try XCTUnwrap(try readAhead.next())
        readAhead.cancel()
        XCTAssertNil(readAhead.finish())
        XCTAssertNil(readAhead.finish(), "a second finish returns at once")
        // The reader held at most the queued batches and one in the making past the first.
        XCTAssertLessThan(hashed.total, total)
    }
}

/// Bytes seen by the reader thread, read by the test's.
private final class ByteCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add(_ n: Int) { lock.lock(); count += n; lock.unlock() }
    var total: Int { lock.lock(); defer { lock.unlock() }; return count }
}
