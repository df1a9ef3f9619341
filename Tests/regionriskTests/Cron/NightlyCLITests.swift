import Foundation
import XCTest

/// `--as-of today|yesterday` with the injectable clock, and `scripts/nightly.sh` as the README's cron line runs it.
final class NightlyCLITests: ScratchFolderTestCase {
    private func asOf(_ value: String, today: String) throws -> CLIResult {
        try runCLI(["flag", "--as-of", value, "--replicates", "0", "--out", dir.appendingPathComponent("r.geojson").path, "--log-format", "json"],
                   environment: ["REGIONRISK_TODAY": today])
    }

    func testAsOfTodayAndYesterdayAreTheUTCDayTheClockGives() throws {
        for (value, today, expected) in [("today", "2025-07-08", "2025-07-08"), ("yesterday", "2025-07-08", "2025-07-07"),
                                          ("Yesterday", "2025-03-01", "2025-02-28"), ("today", "2024-12-31", "2024-12-31")] {
            let r = try asOf(value, today: today)
            XCTAssertEqual(r.status, 0, r.stderr)
            let detection = jsonLines(r.stderr).first { $0["event"] as? String == "detection_finished" }
            XCTAssertEqual(detection?["as_of"] as? String, expected, "--as-of \(value) with today = \(today)")
        }
        let wrong = try asOf("tomorrow", today: "2025-07-08")
        XCTAssertEqual(wrong.status, 64)
        XCTAssertTrue(wrong.stderr.contains("today or yesterday"), wrong.stderr)
    }

    func testWithoutTheTestClockTodayIsTheRealUTCDay() throws {
        let r = try runCLI(["flag", "--as-of", "today", "--replicates", "0", "--out", dir.appendingPathComponent("r.geojson").path, "--log-format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        let before = f.string(from: Date(timeIntervalSinceNow: -120)), after = f.string(from: Date())
        let asOf = jsonLines(r.stderr).first { $0["event"] as? String == "detection_finished" }?["as_of"] as? String
        XCTAssertTrue(asOf == before || asOf == after, "\(asOf ?? "nil")")
    }

    func testEventsSinceAcceptsYesterday() throws {
        let csv = try write("event_id,event_date,latitude,longitude\nB1,2025-07-06,14.4469,-11.4456\nB2,2025-07-07,14.4469,-11.4456\nB3,2025-07-08,14.4469,-11.4456\n", "b.csv")
        XCTAssertEqual(try runCLI(["ingest", csv, "--db", db]).status, 0)
        let r = try runCLI(["events", "--db", db, "--since", "yesterday"], environment: ["REGIONRISK_TODAY": "2025-07-08"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 3, r.stdout)  // header, B2, B3
    }

    /// The nightly script, run as the README's cron line runs it.
    private func nightly(today: String, log: URL) throws -> CLIResult {
        let script = projectRoot.appendingPathComponent("scripts/nightly.sh").path
        let sample = projectRoot.appendingPathComponent("Geodata/mali/samples/incidents-2024-2025.csv").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, "--bin", productsDirectory().appendingPathComponent("regionrisk").path, "--db", db,
                             "--out", dir.appendingPathComponent("reports").path, "--log", log.path, "--ingest", sample,
                             "--", "--replicates", "19"]
        var env = ProcessInfo.processInfo.environment
        env["REGIONRISK_DATA_DIR"] = isolatedDataDirectory.path
        env["XDG_DATA_HOME"] = isolatedDataDirectory.appendingPathComponent("xdg").path
        env["REGIONRISK_TODAY"] = today
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func testNightlyScriptIsSilentAndExitsZeroOnQuietNightsAndAlertsOnNewRegions() throws {
        let log = dir.appendingPathComponent("reports.log")
        // A quiet night: nothing in the last 30 days before "today".
        let quiet = try nightly(today: "2026-03-01", log: log)
        XCTAssertEqual(quiet.status, 0, quiet.stdout + quiet.stderr)
        XCTAssertEqual(quiet.stdout, "", "cron mails nothing on a quiet night")
        XCTAssertEqual(quiet.stderr, "")
        // The log holds only JSON lines, one run_finished per command (ingest, report).
        let lines = jsonLines(try String(contentsOf: log, encoding: .utf8))
        let finished = lines.filter { $0["event"] as? String == "run_finished" }
        XCTAssertEqual(finished.compactMap { $0["command"] as? String }, ["ingest", "report"])
        XCTAssertEqual(finished.compactMap { $0["exit_status"] as? Int }, [0, 0])
        XCTAssertTrue(lines.contains { $0["event"] as? String == "detection_finished" && $0["as_of"] as? String == "2026-03-01" })

        // A night with new regions: the sample's last weeks are recent.
        let alert = try nightly(today: "2025-07-08", log: log)
        XCTAssertEqual(alert.status, 3, alert.stdout + alert.stderr)
        XCTAssertTrue(alert.stdout.contains("new or escalating regions"), alert.stdout)
        XCTAssertTrue(alert.stdout.contains("reports/latest/report.html"), alert.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports/2025-07-08/report.html").path))

        // The same night again: nothing new since the previous run, so quiet again.
        let again = try nightly(today: "2025-07-08", log: log)
        XCTAssertEqual(again.status, 0, again.stdout)
        XCTAssertEqual(again.stdout, "")
    }

    func testNightlyScriptReportsAFailedStepAndExitsOne() throws {
        let log = dir.appendingPathComponent("reports.log")
        let script = projectRoot.appendingPathComponent("scripts/nightly.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, "--bin", productsDirectory().appendingPathComponent("regionrisk").path, "--db", db,
                             "--out", dir.appendingPathComponent("reports").path, "--log", log.path, "--ingest", dir.appendingPathComponent("absent.csv").path]
        var env = ProcessInfo.processInfo.environment
        env["REGIONRISK_DATA_DIR"] = isolatedDataDirectory.path
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertTrue(text.contains("failed: ingest"), text)
    }
}
