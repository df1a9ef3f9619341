import Foundation
import XCTest

/// Every stderr line of a `--log-format json` run, parsed (the test fails on any line that is not a JSON object).
func jsonLines(_ stderr: String, file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
    stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }.compactMap { text in
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        XCTAssertNotNil(object, "not a JSON object on stderr: \(text)", file: file, line: line)
        return object
    }
}

/// A scratch folder per test.
class ScratchFolderTestCase: XCTestCase {
    var dir: URL!
    var db: String { dir.appendingPathComponent("incidents.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(type(of: self))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func write(_ text: String, _ name: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The project's root folder (for scripts and the embedded sample).
    var projectRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}

/// `--log-format json`: only JSON lines on stderr, with structured fields and a closing summary.
final class JSONLogTests: ScratchFolderTestCase {
    /// Three rows: one stored, one rejected (latitude not a number), one outside Mali (Paris).
    private func mixedFile() throws -> String {
        try write("""
            event_id,event_date,latitude,longitude,location,admin1,event_type
            A1,2025-07-01,14.4469,-11.4456,Kayes,Kayes,Battles
            A2,2025-07-02,abc,-11.4456,Kayes,Kayes,Battles
            A3,2025-07-03,48.8566,2.3522,Paris,,Protests

            """, "mixed.csv")
    }

    func testIngestPrintsOnlyJSONLinesWithStructuredFieldsAndASummary() throws {
        let r = try runCLI(["ingest", try mixedFile(), "--db", db, "--log-format", "json", "--progress"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = jsonLines(r.stderr)
        XCTAssertFalse(lines.isEmpty)
        for l in lines {
            XCTAssertNotNil(l["event"] as? String, "\(l)")
            XCTAssertNotNil(l["time"] as? String, "\(l)")
            XCTAssertNotNil(l["level"] as? String, "\(l)")
        }
        let rejected = try XCTUnwrap(lines.first { $0["event"] as? String == "row_rejected" })
        XCTAssertEqual(rejected["line"] as? Int, 3)
        XCTAssertEqual(rejected["path"] as? String, "mixed.csv")
        XCTAssertEqual(rejected["column"] as? String, "latitude")
        let outside = try XCTUnwrap(lines.first { $0["event"] as? String == "outside_area" })
        XCTAssertEqual(outside["event_id"] as? String, "A3")
        XCTAssertEqual(outside["line"] as? Int, 4)
        let finished = try XCTUnwrap(lines.first { $0["event"] as? String == "ingest_finished" })
        XCTAssertEqual(finished["added"] as? Int, 1)
        XCTAssertEqual(finished["rejected"] as? Int, 1)
        XCTAssertEqual(finished["outside_area"] as? Int, 1)
        XCTAssertEqual(finished["rows_read"] as? Int, 3)
        XCTAssertEqual(finished["db"] as? String, db)
        let last = try XCTUnwrap(lines.last)
        XCTAssertEqual(last["event"] as? String, "run_finished")
        XCTAssertEqual(last["exit_status"] as? Int, 0)
        XCTAssertEqual(last["command"] as? String, "ingest")
        XCTAssertNotNil(last["seconds"] as? Double)
        let counts = try XCTUnwrap(last["counts"] as? [String: Int])
        XCTAssertEqual(counts["added"], 1)
        XCTAssertEqual(counts["rejected"], 1)
        XCTAssertEqual(lines.filter { $0["event"] as? String == "run_finished" }.count, 1)
    }

    func testFailuresAndUsageErrorsAreJSONLinesToo() throws {
        let missing = try runCLI(["ingest", dir.appendingPathComponent("absent.csv").path, "--db", db, "--log-format", "json"])
        XCTAssertEqual(missing.status, 1)
        var lines = jsonLines(missing.stderr)
        let failure = try XCTUnwrap(lines.first { $0["level"] as? String == "error" })
        XCTAssertTrue((failure["message"] as? String ?? "").contains("absent.csv"), "\(failure)")
        XCTAssertEqual(lines.last?["event"] as? String, "run_finished")
        XCTAssertEqual(lines.last?["exit_status"] as? Int, 1)

        let usage = try runCLI(["ingest", try mixedFile(), "--db", db, "--min-confidence", "7", "--log-format", "json"])
        XCTAssertEqual(usage.status, 64)
        lines = jsonLines(usage.stderr)
        XCTAssertEqual(lines.first?["event"] as? String, "usage_error")
        XCTAssertTrue((lines.first?["message"] as? String ?? "").contains("--min-confidence"))
        XCTAssertEqual(lines.last?["event"] as? String, "run_finished")
        XCTAssertEqual(lines.last?["exit_status"] as? Int, 64)
    }

    func testTextLogsStayText() throws {
        let r = try runCLI(["ingest", try mixedFile(), "--db", db])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("rejected: mixed.csv:3"), r.stderr)
        XCTAssertFalse(r.stderr.contains("run_finished"))
    }

    /// Flag lines carry region_id and category, so two regions named after the same place differ.
    func testFlaggedRegionLinesCarryTheirIdAndCategory() throws {
        let out = dir.appendingPathComponent("regions.geojson")
        let r = try runCLI(["flag", "--as-of", "2025-07-08", "--replicates", "19", "--out", out.path, "--log-format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = jsonLines(r.stderr)
        let flagged = lines.filter { $0["event"] as? String == "region_flagged" }
        XCTAssertFalse(flagged.isEmpty, r.stderr)
        let ids = flagged.compactMap { $0["region_id"] as? Int }
        XCTAssertEqual(ids.count, flagged.count)
        XCTAssertEqual(Set(ids).count, ids.count, "region ids are unique")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        let features = try XCTUnwrap(json?["features"] as? [[String: Any]])
        var categoryByID: [Int: String] = [:]
        for f in features {
            let p = f["properties"] as? [String: Any]
            if let id = (f["id"] as? Int) ?? (p?["id"] as? Int) ?? (f["id"] as? String).flatMap(Int.init), let c = p?["category"] as? String {
                categoryByID[id] = c
            }
        }
        for l in flagged {
            let id = try XCTUnwrap(l["region_id"] as? Int)
            XCTAssertEqual(l["category"] as? String, categoryByID[id], "region \(id) has the category regions.geojson gives it")
        }
        let detection = try XCTUnwrap(lines.first { $0["event"] as? String == "detection_finished" })
        XCTAssertEqual(detection["as_of"] as? String, "2025-07-08")
    }

    /// Every command's lines carry a machine name of their own (no generic `message` line) and
    /// the fields a log collector filters on; counts go into `run_finished`.
    func testEveryCommandNamesItsLinesAndGivesTheirFields() throws {
        let names = try write("Kayes\tKayes\nNowhereville-sur-Mer\n", "names.txt")
        let runs: [(args: [String], status: Int32, event: String, fields: [String])] = [
            (["density", "--out", dir.appendingPathComponent("d.geojson").path], 0, "density_computed",
             ["events_used", "cells_inside", "cell_km", "bandwidth_km", "peak", "unit", "error_bound"]),
            (["risk", "--as-of", "2025-06-30", "--cell-km", "40", "--out", dir.appendingPathComponent("r.geojson").path], 0,
             "forecast_fitted", ["events_used", "alpha", "sigma_km", "em_iterations"]),
            (["flag", "--method", "ehsa", "--steps", "10", "--step-days", "30", "--as-of", "2025-07-08",
              "--out", dir.appendingPathComponent("e.geojson").path], 0, "ehsa_finished", ["steps", "events_in_cube", "as_of"]),
            (["geocode", "--file", names], 1, "geocode_finished", ["names", "resolved", "not_resolved", "ambiguous"]),
        ]
        for run in runs {
            let r = try runCLI(run.args + ["--log-format", "json"])
            XCTAssertEqual(r.status, run.status, "\(run.args): \(r.stderr)")
            let lines = jsonLines(r.stderr)
            XCTAssertEqual(lines.filter { $0["event"] as? String == "message" }.map { $0["message"] as? String ?? "" }, [],
                           "\(run.args[0]): lines without a name of their own")
            let line = try XCTUnwrap(lines.first { $0["event"] as? String == run.event }, "\(run.args[0]): no \(run.event) line in \(r.stderr)")
            for f in run.fields { XCTAssertNotNil(line[f], "\(run.event) lacks \(f): \(line)") }
            let last = try XCTUnwrap(lines.last)
            XCTAssertEqual(last["event"] as? String, "run_finished")
            XCTAssertEqual(last["exit_status"] as? Int, Int(run.status))
            if run.args[0] != "flag" { XCTAssertFalse((last["counts"] as? [String: Int] ?? [:]).isEmpty, "\(run.args[0]): no counts in run_finished") }
        }
        let geocode = jsonLines(try runCLI(["geocode", "--file", names, "--log-format", "json"]).stderr)
        let summary = try XCTUnwrap(geocode.first { $0["event"] as? String == "geocode_finished" })
        XCTAssertEqual(summary["names"] as? Int, 2)
        XCTAssertEqual(summary["resolved"] as? Int, 1)
        XCTAssertEqual(summary["not_resolved"] as? Int, 1)
        // A subcommand's lines name it with its parent's words.
        let list = jsonLines(try runCLI(["gazetteer", "list", "--data-dir", dir.path, "--log-format", "json"]).stderr)
        XCTAssertEqual(list.last?["command"] as? String, "gazetteer list")
    }
}
