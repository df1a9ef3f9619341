import Foundation
import XCTest

/// `regionrisk bench` as a user runs it: the continent outline, the peer grid, tiles, memory.
final class BenchCLITests: XCTestCase {
    func scenarios(_ r: CLIResult) throws -> [[String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return try XCTUnwrap(json?["scenarios"] as? [[String: Any]])
    }

    func testAfricaOutlineMasksAContinentAndReportsMemory() throws {
        let r = try runCLI(["bench", "--area", "africa", "--cell-km", "25", "--events", "1000", "--kernels", "quartic",
                            "--repeat", "1", "--warmup", "0", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let s = try XCTUnwrap(try scenarios(r).first)
        // Africa is about 29.9M km²: at 25 km about 47,800 cell centres fall inside.
        let inside = try XCTUnwrap(s["cells_inside"] as? Double)
        XCTAssertEqual(inside, 29.88e6 / 625, accuracy: 0.02 * 29.88e6 / 625)
        XCTAssertGreaterThan(try XCTUnwrap(s["peak_memory_mb"] as? Double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(s["grid_mb"] as? Double), 0)
    }

    func testPeerGridTilesEqualTheUntiledGrid() throws {
        let r = try runCLI(["bench", "--peer-grid", "--cell-km", "5", "--events", "10000", "--kernels", "quartic",
                            "--repeat", "1", "--warmup", "0", "--tile-cells", "64", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let s = try XCTUnwrap(try scenarios(r).first)
        XCTAssertEqual(s["cells"] as? Double, 368 * 336)
        let tiles = try XCTUnwrap(s["tiles"] as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(tiles["count"] as? Double), 1)
        XCTAssertEqual(tiles["identical_to_untiled"] as? Bool, true)
    }

    func testBadOptionsAreUsageErrors() throws {
        XCTAssertEqual(try runCLI(["bench", "--tile-cells", "0"]).status, 64)
        XCTAssertEqual(try runCLI(["bench", "--peer-grid", "--cell-km", "3", "--events", "10"]).status, 64)
        let missing = try runCLI(["bench", "--events-file", "/nonexistent/events.csv", "--cell-km", "25"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/events.csv"), missing.stderr)
    }
}
