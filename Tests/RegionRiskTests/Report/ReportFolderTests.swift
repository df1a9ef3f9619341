import XCTest
@testable import RegionRiskData
@testable import RegionRiskGeoJSON
@testable import RegionRiskReport

final class ReportFolderTests: XCTestCase {
    func testSecondRunCannotTakeTheLockAndPublishIsAtomic() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rr-folder-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try ReportFolder(root: root), b = try ReportFolder(root: root)
        try a.lock(timeoutSeconds: 0)
        XCTAssertThrowsError(try b.lock(timeoutSeconds: 0.2)) { XCTAssertTrue($0 is ReportLockedError) }
        // First publish.
        let s1 = try a.makeStaging()
        try "one".write(to: s1.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        try a.publish(staging: s1, as: "2025-07-08")
        // A crashed run leaves only a staging folder: latest still points at the complete one.
        let crashed = try a.makeStaging()
        try "partial".write(to: crashed.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("latest/report.md"), encoding: .utf8), "one")
        a.removeStaleStaging()
        XCTAssertFalse(FileManager.default.fileExists(atPath: crashed.path))
        // Re-running the same as-of replaces the folder whole.
        let s2 = try a.makeStaging()
        try "two".write(to: s2.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        try a.publish(staging: s2, as: "2025-07-08")
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("latest/report.md"), encoding: .utf8), "two")
        a.unlock()
        XCTAssertNoThrow(try b.lock(timeoutSeconds: 0))
    }

    func testHistoryTellsNewContinuingAndEnded() throws {
        let square = { (x: Double) in GeoJSONGeometry.polygon([[.init(x, 0), .init(x + 1, 0), .init(x + 1, 1), .init(x, 1), .init(x, 0)]]) }
        let history = RunHistory(runs: [RunHistory.Entry(asOf: "2025-07-01", regions: [("A", "new", square(0)), ("B", "new", square(10))])])
        let c = history.compare([("A'", "new", square(0.5)), ("C", "new", square(20))])
        XCTAssertEqual(c.previousAsOf, "2025-07-01")
        XCTAssertEqual(c.new, [1])
        XCTAssertEqual(c.continuing, [0])
        XCTAssertEqual(c.ended, ["B"])
    }
}

final class StoreRunHistoryTests: XCTestCase {
    func testTheStoreRemembersRunsInOrder() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rr-history-\(UUID()).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let store = try IncidentStore(path: path)
        XCTAssertTrue(try store.loadHistory().runs.isEmpty)
        let square = GeoJSONGeometry.polygon([[.init(0, 0), .init(1, 0), .init(1, 1), .init(0, 1), .init(0, 0)]])
        try store.appendHistory(RunHistory.Entry(asOf: "2025-07-01", regions: [("Kayes (Kayes)", "new", square)]))
        try store.appendHistory(RunHistory.Entry(asOf: "2025-07-08", regions: []))
        let history = try store.loadHistory()
        XCTAssertEqual(history.runs.map(\.asOf), ["2025-07-01", "2025-07-08"])
        XCTAssertEqual(history.runs[0].regions.first?.label, "Kayes (Kayes)")
        XCTAssertEqual(history.runs[0].regions.first?.geometry, square)
    }
}
