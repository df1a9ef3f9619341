import Foundation
import XCTest

/// `report --events` on a worldwide file keeps the area's events, as ingest does, and says how many it left out.
final class ReportAreaFilterCLITests: ScratchFolderTestCase {
    func testWorldwideUCDPFileIsFilteredToMaliAndTakesItsAsOfFromMalianEvents() throws {
        let ucdp = projectRoot.deletingLastPathComponent().appendingPathComponent("shared/geodata/ucdp-ged231-sample1000.csv")
        guard FileManager.default.fileExists(atPath: ucdp.path) else { throw XCTSkip("../shared is absent") }
        // The reference, from the file's own `country` column (read with Python's csv module):
        // 1000 rows, 7 in Mali, the latest Malian date_start 2022-03-27, the latest overall 2022-12-19.
        let r = try runCLI(["report", "--events", ucdp.path, "--out", dir.appendingPathComponent("reports").path,
                            "--replicates", "19", "--log-format", "json"])
        XCTAssertTrue(r.status == 0 || r.status == 3, r.stderr)
        let lines = jsonLines(r.stderr)
        let outside = try XCTUnwrap(lines.first { $0["event"] as? String == "events_outside_area" }, r.stderr)
        XCTAssertEqual(outside["count"] as? Int, 993)
        XCTAssertEqual(outside["events_read"] as? Int, 1000)
        let detection = try XCTUnwrap(lines.first { $0["event"] as? String == "detection_finished" })
        XCTAssertEqual(detection["as_of"] as? String, "2022-03-27")
        let folder = dir.appendingPathComponent("reports/2022-03-27")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as? [String: Any]
        let inputs = try XCTUnwrap(manifest?["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.first?["outside_area"] as? Int, 993)
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("993 of 1000 events in the input are outside the area"), markdown)
        let summary = try XCTUnwrap(lines.last)
        XCTAssertEqual((summary["counts"] as? [String: Int])?["events_outside_area"], 993)
    }
}
