import Foundation
import XCTest

/// The main job as cron runs it, on the embedded sample of real incidents.
final class ReportCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-report-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func properties(_ url: URL) throws -> [[String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (json["features"] as! [[String: Any]]).map { $0["properties"] as! [String: Any] }
    }

    func testEmbeddedSampleFlagsTheWestAsNewAndNotTheCentre() throws {
        let out = dir.appendingPathComponent("reports")
        let first = try runCLI(["report", "--out", out.path, "--as-of", "2025-07-08"])
        XCTAssertEqual(first.status, 3, "first run: new regions → exit 3\n\(first.stderr)")
        let latest = out.appendingPathComponent("latest")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: latest.path), "2025-07-08")
        for f in ["regions.geojson", "density.geojson", "density.asc", "density.prj", "admin1.csv", "admin1.geojson",
                  "report.html", "report.md", "manifest.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: latest.appendingPathComponent(f).path), f)
        }
        let regions = try properties(latest.appendingPathComponent("regions.geojson"))
        func category(ofPlace place: String) -> [String] {
            regions.filter { ($0["places"] as? String ?? "").contains(place) }.map { $0["category"] as! String }
        }
        // The western towns attacked on 1 July 2025, quiet in the year before.
        XCTAssertEqual(category(ofPlace: "Kayes"), ["new"])
        XCTAssertTrue(category(ofPlace: "Diboli").contains("new"), "\(regions)")
        // The long-violent centre is not new.
        for place in ["Diafarabé", "Dioura", "Ténenkou"] {
            XCTAssertFalse(category(ofPlace: place).contains("new"), "\(place): \(category(ofPlace: place))")
        }
        for f in ["regions.geojson", "density.geojson", "admin1.geojson"] {
            try assertOpensInGDALWithValidGeometries(latest.appendingPathComponent(f))
        }
        let admin1 = try String(contentsOf: latest.appendingPathComponent("admin1.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(admin1[1].hasPrefix("1,Kayes,"), "Kayes ranks first: \(admin1)")
        let html = try String(contentsOf: latest.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<svg") && html.contains("Kayes"))

        // Same data again: nothing new since the previous run → exit 0, history says continuing.
        let second = try runCLI(["report", "--out", out.path, "--as-of", "2025-07-08"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains("continuing"), second.stderr)
    }

    /// On a store, the store remembers each report's regions (no history file beside the reports).
    func testReportsOnAStoreRememberRunsInTheStore() throws {
        let db = dir.appendingPathComponent("incidents.sqlite").path
        // A western burst and one older event in the centre.
        let sample = dir.appendingPathComponent("burst.csv").path
        try "event_id,event_date,latitude,longitude\na,2025-07-01,14.44693,-11.44448\nb,2025-07-02,14.45511,-12.19945\nc,2024-09-01,14.49,-4.2\n"
            .write(toFile: sample, atomically: true, encoding: .utf8)
        XCTAssertEqual(try runCLI(["ingest", sample, "--db", db]).status, 0)
        let out = dir.appendingPathComponent("reports")
        XCTAssertEqual(try runCLI(["report", "--db", db, "--out", out.path]).status, 3)
        let again = try runCLI(["report", "--db", db, "--out", out.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("continuing"), again.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("history.json").path))
    }

    func testJSONLogsAndUsageExitCode() throws {
        let r = try runCLI(["report", "--out", dir.appendingPathComponent("r").path, "--log-format", "json"])
        XCTAssertTrue([0, 3].contains(r.status), r.stderr)
        for line in r.stderr.split(separator: "\n") {
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)), String(line))
        }
        // `yesterday` is a date now (UTC; issue #13); a day not on the calendar is still refused.
        XCTAssertEqual(try runCLI(["report", "--as-of", "2025-02-30"]).status, 64)
    }
}

/// The manifest lists the files the report folder really holds, with and without a forecast.
final class ReportManifestCLITests: XCTestCase {
    func testManifestListsTheFilesWritten() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-manifest-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        for forecast in [false, true] {
            let out = dir.appendingPathComponent(forecast ? "with" : "without")
            let r = try runCLI(["report", "--as-of", "2025-07-08", "--out", out.path] + (forecast ? ["--forecast"] : []))
            XCTAssertTrue(r.status == 0 || r.status == 3, r.stderr)
            let latest = out.appendingPathComponent("latest")
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: latest.appendingPathComponent("manifest.json"))) as? [String: Any]
            let listed = try XCTUnwrap(manifest?["files"] as? [String])
            let present = try FileManager.default.contentsOfDirectory(atPath: latest.path).filter { !$0.hasPrefix(".") }.sorted()
            XCTAssertEqual(listed, present)
            XCTAssertEqual(listed.contains("risk.csv"), forecast)
        }
    }
}
