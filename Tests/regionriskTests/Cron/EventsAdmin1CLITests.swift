import Foundation
import XCTest

/// `events --admin1` selects by the region polygons, as the report counts, with aliases.
final class EventsAdmin1CLITests: ScratchFolderTestCase {
    private func rows(_ arguments: [String]) throws -> Int {
        let r = try runCLI(["events", "--db", db] + arguments)
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").count - 1
    }

    func testAdmin1CountsWhatTheReportCountsAndKnowsAliases() throws {
        let sample = projectRoot.appendingPathComponent("Geodata/mali/samples/incidents-2024-2025.csv").path
        XCTAssertEqual(try runCLI(["ingest", sample, "--db", db]).status, 0)
        // The report's per-region table over windows that hold the whole sample (Feb 2024 – Jul 2025).
        let out = dir.appendingPathComponent("reports")
        let report = try runCLI(["report", "--db", db, "--out", out.path, "--as-of", "2025-07-31", "--baseline-days", "3650",
                                 "--replicates", "0"])
        XCTAssertTrue(report.status == 0 || report.status == 3, report.stderr)
        let table = try String(contentsOf: out.appendingPathComponent("2025-07-31/admin1.csv"), encoding: .utf8)
        var counted: [String: Int] = [:]
        for line in table.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            counted[String(f[1])] = Int(f[3])! + Int(f[4])!
        }
        let total = try rows([])
        XCTAssertEqual(counted.values.reduce(0, +), total, "every sample event is in one region of the table")
        for (region, n) in counted {
            XCTAssertEqual(try rows(["--admin1", region]), n, "--admin1 \(region)")
        }
        XCTAssertGreaterThan(counted["Kayes"] ?? 0, 0)
        let timbuktu = try rows(["--admin1", "Timbuktu"])
        XCTAssertGreaterThan(timbuktu, 0)
        XCTAssertEqual(try rows(["--admin1", "Tombouctou"]), timbuktu)
        XCTAssertEqual(try rows(["--admin1", "TOMBOUCTOU"]), timbuktu)
        XCTAssertEqual(try rows(["--admin1", "Région de Tombouctou"]), timbuktu)
        XCTAssertEqual(try rows(["--admin1", "segou"]), counted["Ségou"])
        let unknown = try runCLI(["events", "--db", db, "--admin1", "Atlantis"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("Kayes"), unknown.stderr)
    }
}
