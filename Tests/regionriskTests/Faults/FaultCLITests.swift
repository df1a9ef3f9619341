import Foundation
import XCTest

/// Faults forced, not waited for: `REGIONRISK_TEST_FAULT` kills the process (SIGKILL, as
/// `kill -9`) or fails a step at a named point; full and read-only disks are small tmpfs mounts
/// (skipped where the machine does not allow mounting).
final class FaultCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-faults-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    static let publishPoints = ["publish.before-swap", "publish.after-aside", "publish.after-swap", "publish.before-latest",
                                "publish.after-latest"]

    func report(_ out: URL, fault: String? = nil, asOf: String = "2025-07-08") throws -> CLIResult {
        try runCLI(["report", "--out", out.path, "--as-of", asOf, "--quiet"],
                   environment: fault.map { ["REGIONRISK_TEST_FAULT": $0] } ?? [:])
    }

    func latestReport(_ out: URL) throws -> String {
        try String(contentsOf: out.appendingPathComponent("latest/report.md"), encoding: .utf8)
    }

    func isComplete(_ folder: URL) -> Bool {
        ["report.md", "report.html", "regions.geojson", "manifest.json"].allSatisfy {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
        }
    }

    /// A re-run for the same as-of date killed at each step of publishing, with the atomic swap
    /// and with the two-rename fallback: `latest` stays whole (with the swap) or is repaired by
    /// the next run, the next run's recovery keeps a complete report (checked by killing that run
    /// just before it publishes), and a clean run afterwards publishes and leaves nothing aside.
    func testKillAtEveryPublishStepLeavesLatestWholeAndTheNextRunRepairs() throws {
        for fallback in [false, true] {
            let mode = fallback ? ",publish.no-exchange" : ""
            // The rename-aside point exists only on the fallback path.
            for point in Self.publishPoints where fallback || point != "publish.after-aside" {
                let out = dir.appendingPathComponent("reports-\(point)\(fallback ? "-fallback" : "")")
                let latest = out.appendingPathComponent("latest"), folder = out.appendingPathComponent("2025-07-08")
                let first = try report(out)
                XCTAssertEqual(first.status, 3, first.stderr)
                let killed = try report(out, fault: "\(point)=kill\(mode)")
                XCTAssertEqual(killed.status, SIGKILL, "\(point)\(mode): the hook must kill (terminationStatus is the signal)")
                let aside = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".replaced-") }
                XCTAssertTrue(isComplete(folder) || aside.count == 1, "\(point)\(mode): no complete copy of the report left")
                if !fallback { XCTAssertTrue(isComplete(latest), "\(point): latest must stay whole with the atomic swap") }
                // The next run recovers first; killed just before it would publish, it must leave
                // a complete report behind latest.
                let recovering = try report(out, fault: "publish.before-swap=kill")
                XCTAssertEqual(recovering.status, SIGKILL)
                XCTAssertTrue(isComplete(latest), "\(point)\(mode): the previous report did not survive the next run")
                let next = try report(out)
                XCTAssertEqual(next.status, 0, "\(point)\(mode): \(next.stderr)")
                XCTAssertTrue(isComplete(latest))
                let left = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".replaced-") || $0.hasPrefix(".staging-") }
                XCTAssertEqual(left, [], "\(point)\(mode)")
            }
        }
    }

    func testADanglingLatestIsRepairedByTheNextRun() throws {
        let out = dir.appendingPathComponent("reports")
        XCTAssertEqual(try report(out).status, 3)
        // As an older version's crash left it: the folder aside, latest dangling.
        let folder = out.appendingPathComponent("2025-07-08"), aside = out.appendingPathComponent(".replaced-2025-07-08-12345")
        try FileManager.default.moveItem(at: folder, to: aside)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("latest/report.md").path))
        // A run for another date must restore it rather than delete it.
        let other = try report(out, asOf: "2025-06-30")
        XCTAssertTrue(other.status == 0 || other.status == 3, other.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("report.md").path))
    }

    func testPublishedButHistoryFailedHasItsOwnExitStatus() throws {
        let out = dir.appendingPathComponent("reports")
        let r = try report(out, fault: "report.history=fail")
        XCTAssertEqual(r.status, 4, r.stderr)
        XCTAssertTrue(r.stderr.contains("the report was published"), r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("latest/report.html").path))
        // Nothing was recorded, so the next run announces the same regions again (exit 3).
        XCTAssertEqual(try report(out).status, 3)
    }

    func testKillBeforeTheIngestCommitsLeavesTheStoreAsBefore() throws {
        let db = dir.appendingPathComponent("s.sqlite")
        let a = dir.appendingPathComponent("a.csv"), b = dir.appendingPathComponent("b.csv")
        try "event_date,latitude,longitude\n2025-07-01,14.35,-3.60\n".write(to: a, atomically: true, encoding: .utf8)
        try "event_date,latitude,longitude\n2025-07-02,14.50,-4.20\n2025-07-03,15.00,-2.00\n".write(to: b, atomically: true, encoding: .utf8)
        XCTAssertEqual(try runCLI(["ingest", a.path, "--db", db.path]).status, 0)
        let killed = try runCLI(["ingest", b.path, "--db", db.path], environment: ["REGIONRISK_TEST_FAULT": "ingest.before-commit=kill"])
        XCTAssertEqual(killed.status, SIGKILL, killed.stderr)
        let events = try runCLI(["events", "--db", db.path, "--format", "csv"])
        XCTAssertEqual(events.status, 0, events.stderr)
        XCTAssertEqual(events.stdout.split(separator: "\n").count, 2, "header + the one event from before")
        let again = try runCLI(["ingest", b.path, "--db", db.path])
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    /// A store holding `rows` events (`row(i)` gives date,latitude,longitude) and the CSV it came from.
    func ingestedStore(rows: Int, _ row: (Int) -> String) throws -> (db: URL, csv: URL) {
        let db = dir.appendingPathComponent("s.sqlite"), csv = dir.appendingPathComponent("events.csv")
        try ("event_date,latitude,longitude\n" + (0..<rows).map { row($0) + "\n" }.joined()).write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(try runCLI(["ingest", csv.path, "--db", db.path]).status, 0)
        return (db, csv)
    }

    func testIngestIntoADamagedStoreFails() throws {
        let (db, csv) = try ingestedStore(rows: 400) { "2025-07-01,\(14 + Double($0) / 1000),-3.60" }
        // Overwrite the cell-pointer array of the incident table's root page.
        let root = try python("import sqlite3; print(sqlite3.connect('\(db.path)').execute(\"select rootpage from sqlite_master where name='incident'\").fetchone()[0])")
        let page = try XCTUnwrap(Int(root.trimmingCharacters(in: .whitespacesAndNewlines)))
        let handle = try FileHandle(forUpdating: db)
        try handle.seek(toOffset: UInt64(4096 * (page - 1) + 8))
        try handle.write(contentsOf: Data([0xFF, 0xF0, 0xFF, 0xF0, 0xFF, 0xF0]))
        try handle.close()
        let r = try runCLI(["ingest", csv.path, "--db", db.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("damaged"), r.stderr)
    }

    func testConcurrentIngestAndReportBothFinish() throws {
        let (db, csv) = try ingestedStore(rows: 3_000) { i in
            "2025-0\(1 + i % 7)-1\(i % 10),\(13 + Double(i % 500) / 200),\(-6 + Double(i % 700) / 150)"
        }
        let group = DispatchGroup()
        final class Box: @unchecked Sendable { var results: [String: CLIResult] = [:]; let lock = NSLock() }
        let box = Box()
        for (name, args) in [("ingest", ["ingest", csv.path, "--db", db.path]),
                             ("report", ["report", "--db", db.path, "--out", dir.appendingPathComponent("reports").path, "--quiet"])] {
            group.enter()
            DispatchQueue.global().async {
                let r = try? runCLI(args)
                box.lock.lock(); box.results[name] = r; box.lock.unlock()
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(box.results["ingest"]?.status, 0, box.results["ingest"]?.stderr ?? "")
        XCTAssertTrue([0, 3].contains(box.results["report"]?.status ?? -1), box.results["report"]?.stderr ?? "")
    }

    func testFullDiskAndReadOnlyStoreOnATmpfs() throws {
        let mount = dir.appendingPathComponent("mnt")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        guard shell("mount -t tmpfs -o size=400k tmpfs '\(mount.path)'") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (needs CAP_SYS_ADMIN)")
        }
        defer { _ = shell("umount '\(mount.path)'") }
        let db = mount.appendingPathComponent("s.sqlite")
        let small = dir.appendingPathComponent("small.csv")
        try "event_date,latitude,longitude\n2025-07-01,14.35,-3.60\n".write(to: small, atomically: true, encoding: .utf8)
        XCTAssertEqual(try runCLI(["ingest", small.path, "--db", db.path]).status, 0)
        // Full disk: an ingest far bigger than the 400 kB left fails, changes nothing, leaves no big WAL.
        let big = dir.appendingPathComponent("big.csv")
        var text = "event_date,latitude,longitude,location\n"
        for i in 0..<20_000 { text += "2025-07-01,\(13 + Double(i % 900) / 300),\(-6 + Double(i) / 5000),place number \(i) with a long name\n" }
        try text.write(to: big, atomically: true, encoding: .utf8)
        let full = try runCLI(["ingest", big.path, "--db", db.path, "--rejects", dir.appendingPathComponent("r.csv").path])
        XCTAssertEqual(full.status, 1, full.stderr)
        let wal = ((try? FileManager.default.attributesOfItem(atPath: db.path + "-wal"))?[.size] as? Int) ?? 0
        XCTAssertLessThan(wal, 64 * 1024, "the WAL must be truncated after the failed ingest")
        let events = try runCLI(["events", "--db", db.path, "--format", "csv"])
        XCTAssertEqual(events.stdout.split(separator: "\n").count, 2, events.stderr)
        // Full disk while publishing a report: exit 1, the message says why.
        let reports = try runCLI(["report", "--out", mount.appendingPathComponent("reports").path, "--quiet"])
        XCTAssertEqual(reports.status, 1, reports.stderr)
        // Read-only: reading commands still work, ingest says why it cannot.
        guard shell("mount -o remount,ro '\(mount.path)'") == 0 else { throw XCTSkip("cannot remount the tmpfs read-only") }
        let ro = try runCLI(["events", "--db", db.path, "--format", "csv"])
        XCTAssertEqual(ro.status, 0, ro.stderr)
        XCTAssertEqual(ro.stdout.split(separator: "\n").count, 2)
        let density = try runCLI(["density", "--db", db.path, "--out", dir.appendingPathComponent("d.geojson").path])
        XCTAssertEqual(density.status, 0, density.stderr)
        let ingest = try runCLI(["ingest", small.path, "--db", db.path])
        XCTAssertEqual(ingest.status, 1, ingest.stderr)
        // A report on the read-only store publishes (into a writable folder) and exits 4,
        // saying the history could not be written.
        let reportsOut = dir.appendingPathComponent("ro-reports")
        let report = try runCLI(["report", "--db", db.path, "--out", reportsOut.path, "--as-of", "2025-07-08"])
        XCTAssertEqual(report.status, 4, report.stderr)
        XCTAssertTrue(report.stderr.contains("the run history could not be written"), report.stderr)
        XCTAssertTrue(report.stderr.contains(db.path), report.stderr)
        XCTAssertTrue(isComplete(reportsOut.appendingPathComponent("latest")), "the report was not published")
    }
}

@discardableResult
func shell(_ command: String) -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command + " 2>/dev/null"]
    guard (try? p.run()) != nil else { return -1 }
    p.waitUntilExit()
    return p.terminationStatus
}

func python(_ code: String) throws -> String {
    let p = Process(), out = Pipe()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", code]
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw XCTSkip("python3 with sqlite3 is needed") }
    return String(decoding: data, as: UTF8.self)
}
