import Foundation
import XCTest

/// The hostile cases of issue 12, each run through the built binary: every one must end with
/// a message and exit 64 (usage) or 1 (failure), never a signal (a trap is exit 132/134 or a
/// signal termination).
final class HostileInputCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-hostile-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func assertRefused(_ arguments: [String], status: Int32, mentioning text: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try runCLI(arguments, currentDirectory: dir)
        XCTAssertEqual(r.status, status, "\(arguments.joined(separator: " ")): \(r.stderr.suffix(600))", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(text), "\(arguments.joined(separator: " ")): expected “\(text)” in \(r.stderr.suffix(600))",
                      file: file, line: line)
    }

    func testOptionsOutsideTheirDocumentedRangeAreUsageErrors() throws {
        let out = dir.appendingPathComponent("o.geojson").path
        let cases: [([String], String)] = [
            (["density", "--cell-km", "0.0001"], "--cell-km"),
            (["density", "--cell-km", "5e-7"], "--cell-km"),
            (["density", "--cell-km", "1e-300"], "--cell-km"),
            (["density", "--bandwidth-km", "1e20"], "--bandwidth-km"),
            (["density", "--bandwidth-km", "1e300"], "--bandwidth-km"),
            (["density", "--bandwidth-km", "1e300", "--kernel", "gaussian"], "--bandwidth-km"),
            (["density", "--bandwidth-km", "1e9", "--kernel", "gaussian"], "--bandwidth-km"),
            (["flag", "--cell-km", "1e-10"], "--cell-km"),
            (["flag", "--bandwidth-km", "1e300"], "--bandwidth-km"),
            (["flag", "--method", "ehsa", "--steps", "1000000"], "--steps"),
            (["flag", "--method", "ehsa", "--steps", "9223372036854775807"], "--steps"),
            (["report", "--density-cell-km", "1e-10"], "--density-cell-km"),
            (["report", "--density-bandwidth-km", "1e300"], "--density-bandwidth-km"),
            (["report", "--baseline-days", "9223372036854775807"], "--baseline-days"),
            (["density", "--half-life-days", "30"], "--half-life-days needs --as-of"),
        ]
        for (arguments, option) in cases {
            let outArgs = arguments.first == "report" ? ["--out", dir.appendingPathComponent("reports").path] : ["--out", out]
            try assertRefused(arguments + outArgs, status: 64, mentioning: option)
        }
        try assertRefused(["report", "--out", ""], status: 64, mentioning: "--out is empty")
    }

    func testRequestsOverTheCellBudgetFailBeforeAllocating() throws {
        let out = dir.appendingPathComponent("o.geojson").path
        // Inside the documented ranges, but a 0.01 km grid over Mali would be 2.9e10 cells.
        try assertRefused(["density", "--cell-km", "0.01", "--out", out], status: 1, mentioning: "cells, more than the limit")
        try assertRefused(["flag", "--method", "ehsa", "--steps", "1000", "--cell-km", "1", "--out", out], status: 1,
                          mentioning: "GB of working memory, more than the limit of 67108864 cells × steps")
        // Inside the memory budget, but a 10,000 km neighbourhood sums ~1,600 rows per cell × step.
        try assertRefused(["flag", "--method", "ehsa", "--steps", "20", "--cell-km", "1", "--bandwidth-km", "10000", "--out", out], status: 1,
                          mentioning: "operations, more than the limit of 10000000000 operations")
    }

    func testOutOfRangeFatalitiesAreRejectedPerRowAndTheRestIsUsed() throws {
        let csv = dir.appendingPathComponent("f.csv")
        var text = "event_date,latitude,longitude,fatalities\n2025-07-01,14.35,-3.60,2\n"
        for v in ["9223372036854775807", "1e19", "1e23", "99999999999999999999", "1e308", "1000001"] {
            text += "2025-07-01,14.35,-3.60,\(v)\n"
        }
        try text.write(to: csv, atomically: true, encoding: .utf8)
        let r = try runCLI(["density", "--events", csv.path, "--weight", "fatalities", "--out", dir.appendingPathComponent("d.geojson").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("outside the valid range 0 to 1000000"), r.stderr)
        XCTAssertTrue(r.stderr.contains("6 rows rejected"), r.stderr)
        // Ingest stores only the valid row.
        let db = dir.appendingPathComponent("f.sqlite").path
        let ingest = try runCLI(["ingest", csv.path, "--db", db, "--rejects", dir.appendingPathComponent("r.csv").path])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        let stored = try runCLI(["events", "--db", db, "--format", "csv"])
        XCTAssertEqual(stored.stdout.split(separator: "\n").count, 2, stored.stdout)
    }

    func testAReportOverAStoreAlreadyHoldingAHugeFatalitiesValueRuns() throws {
        let db = dir.appendingPathComponent("s.sqlite")
        let csv = dir.appendingPathComponent("ok.csv")
        try "event_date,latitude,longitude,fatalities\n2025-07-01,14.35,-3.60,2\n2025-06-01,14.50,-4.20,1\n"
            .write(to: csv, atomically: true, encoding: .utf8)
        let ingest = try runCLI(["ingest", csv.path, "--db", db.path])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        // As an older version let it in: written straight into the store.
        try sqlite(db, "UPDATE incident SET fatalities = 1e23")
        let r = try runCLI(["report", "--db", db.path, "--out", dir.appendingPathComponent("reports").path])
        XCTAssertTrue(r.status == 0 || r.status == 3, "status \(r.status): \(r.stderr.suffix(800))")
        // Said once per run, with the count.
        XCTAssertEqual(r.stderr.components(separatedBy: "fatalities lie outside").count - 1, 1, r.stderr.suffix(800).description)
        XCTAssertTrue(r.stderr.contains("holds 2 events whose fatalities lie outside 0 … 1000000"), r.stderr.suffix(800).description)
    }

    func testOutputToADeviceAFIFOStandardOutputAndASymlink() throws {
        // /dev/full: written through, the write fails (exit 1) and the device node survives.
        var st = stat()
        if stat("/dev/full", &st) == 0, (st.st_mode & S_IFMT) == S_IFCHR {
            let r = try runCLI(["density", "--out", "/dev/full"])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("/dev/full"), r.stderr)
            XCTAssertEqual(stat("/dev/full", &st), 0)
            XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR, "/dev/full is no longer a character device")
        }
        let stdout = try runCLI(["flag", "--out", "-", "--quiet"])
        XCTAssertEqual(stdout.status, 0, stdout.stderr)
        XCTAssertTrue(stdout.stdout.hasPrefix("{\"type\":\"FeatureCollection\""), String(stdout.stdout.prefix(200)))
        // A symlink: its target is replaced, the link stays a link.
        let target = dir.appendingPathComponent("real.geojson"), link = dir.appendingPathComponent("link.geojson")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.geojson")
        let viaLink = try runCLI(["density", "--out", link.path, "--quiet"])
        XCTAssertEqual(viaLink.status, 0, viaLink.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), "real.geojson")
        XCTAssertTrue(try String(contentsOf: target, encoding: .utf8).hasPrefix("{\"type\":\"FeatureCollection\""))
        // A folder given as the output file.
        try assertRefused(["density", "--out", dir.path], status: 1, mentioning: "is a folder")
        // A FIFO is written through: a reader gets the whole document, the FIFO stays a FIFO.
        let fifo = dir.appendingPathComponent("fifo")
        XCTAssertEqual(mkfifo(fifo.path, 0o644), 0)
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box(), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            if let h = FileHandle(forReadingAtPath: fifo.path) { box.data = h.readDataToEndOfFile() }
            done.signal()
        }
        let viaFIFO = try runCLI(["flag", "--out", fifo.path, "--quiet"])
        XCTAssertEqual(viaFIFO.status, 0, viaFIFO.stderr)
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        XCTAssertTrue(String(decoding: box.data, as: UTF8.self).hasPrefix("{\"type\":\"FeatureCollection\""))
        XCTAssertEqual(lstat(fifo.path, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFIFO)
    }

    func testIngestThatStoresNothingFailsWithWhy() throws {
        let csv = dir.appendingPathComponent("swapped.csv")
        try "event_date,latitude,longitude\n2025-01-01,-4.0,14.0\n2025-01-02,-3.0,15.0\n".write(to: csv, atomically: true, encoding: .utf8)
        try assertRefused(["ingest", csv.path, "--db", dir.appendingPathComponent("s.sqlite").path], status: 1,
                          mentioning: "latitude and longitude swapped")
    }

    func testIngestOfAFileWithoutADateColumnNeedsAllowUndated() throws {
        let csv = dir.appendingPathComponent("renamed.csv")
        try "when,latitude,longitude\n2025-01-01,14.35,-3.60\n".write(to: csv, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("s.sqlite").path
        try assertRefused(["ingest", csv.path, "--db", db], status: 1, mentioning: "--allow-undated")
        let allowed = try runCLI(["ingest", csv.path, "--db", db, "--allow-undated"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
    }

    func testIngestOfAGeoJSONFileWithoutADatePropertyNeedsAllowUndated() throws {
        let file = dir.appendingPathComponent("renamed.geojson")
        try """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"when":"2025-01-01"},"geometry":{"type":"Point","coordinates":[-3.6,14.35]}}]}
            """.write(to: file, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("s.sqlite").path
        try assertRefused(["ingest", file.path, "--db", db], status: 1, mentioning: "no date property")
        try assertRefused(["ingest", file.path, "--db", db], status: 1, mentioning: "--allow-undated")
        let allowed = try runCLI(["ingest", file.path, "--db", db, "--allow-undated"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
    }

    func testNoDatedEventsNamesTheFileAndItsDateColumn() throws {
        let out = dir.appendingPathComponent("o.geojson").path
        let geojson = dir.appendingPathComponent("undated.geojson")
        try """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"when":"2025-01-01"},"geometry":{"type":"Point","coordinates":[-3.6,14.35]}}]}
            """.write(to: geojson, atomically: true, encoding: .utf8)
        try assertRefused(["flag", "--events", geojson.path, "--out", out], status: 1, mentioning: "\(geojson.path) has no dated events: it has no date property")
        let renamed = dir.appendingPathComponent("renamed.csv")
        try "when,latitude,longitude\n2025-01-01,14.35,-3.60\n".write(to: renamed, atomically: true, encoding: .utf8)
        try assertRefused(["report", "--events", renamed.path, "--out", dir.appendingPathComponent("reports").path], status: 1,
                          mentioning: "\(renamed.path) has no dated events: it has no date column (looked for event_date")
        let empty = dir.appendingPathComponent("empty-dates.csv")
        try "event_date,latitude,longitude\n,14.35,-3.60\n,14.5,-4.2\n".write(to: empty, atomically: true, encoding: .utf8)
        try assertRefused(["flag", "--method", "ehsa", "--events", empty.path, "--out", out], status: 1,
                          mentioning: "\(empty.path) has no dated events: none of its 2 rows was read (2 rejected; its date column is \"event_date\")")
    }

    func testABandwidthUnderHalfACellIsWarnedAbout() throws {
        let out = dir.appendingPathComponent("o.geojson").path
        for command in ["density", "flag"] {
            let r = try runCLI([command, "--cell-km", "5", "--bandwidth-km", "1", "--out", out])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("(1 km) is under half the cell size (5 km)"), "\(command): \(r.stderr.suffix(600))")
        }
    }

    func testAWholeWorldAreaIsRefused() throws {
        let world = dir.appendingPathComponent("world.geojson")
        try """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}}]}
            """.write(to: world, atomically: true, encoding: .utf8)
        try assertRefused(["density", "--area", world.path, "--out", dir.appendingPathComponent("o.geojson").path], status: 1,
                          mentioning: "spans 360° of longitude")
        let tiny = dir.appendingPathComponent("tiny.geojson")
        try """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-3.6,14.35],[-3.599,14.35],[-3.599,14.351],[-3.6,14.351],[-3.6,14.35]]]}}]}
            """.write(to: tiny, atomically: true, encoding: .utf8)
        try assertRefused(["density", "--area", tiny.path, "--cell-km", "50", "--out", dir.appendingPathComponent("o.geojson").path], status: 1,
                          mentioning: "holds no centre of a 50.0 km cell")
    }

    /// A Fiji-like area drawn two ways (a ring jumping across 180°, and RFC 7946's two parts cut
    /// at 180°): each gets the same grid, centred on the area, whose cells add up to the area's
    /// geodesic area, and keeps every event's mass. Longitudes past 180° are refused (RFC 7946).
    func testAnAreaAcrossTheAntimeridianGetsAnUndistortedGridCentredOnIt() throws {
        let events = dir.appendingPathComponent("fiji.csv")
        try "event_date,latitude,longitude\n2025-07-01,-17.5,178.0\n2025-07-02,-17.5,-179.5\n2025-07-03,-17.0,179.99\n"
            .write(to: events, atomically: true, encoding: .utf8)
        let drawings = [
            #"{"type":"Polygon","coordinates":[[[177,-19],[-179,-19],[-179,-16],[177,-16],[177,-19]]]}"#,
            #"{"type":"MultiPolygon","coordinates":[[[[177,-19],[180,-19],[180,-16],[177,-16],[177,-19]]],[[[-180,-19],[-179,-19],[-179,-16],[-180,-16],[-180,-19]]]]}"#,
        ]
        var cellCounts: Set<Int> = []
        for (n, geometry) in drawings.enumerated() {
            let area = dir.appendingPathComponent("fiji-\(n).geojson")
            try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Fiji-like"},"geometry":\#(geometry)}]}"#
                .write(to: area, atomically: true, encoding: .utf8)
            let r = try runCLI(["density", "--area", area.path, "--events", events.path, "--cell-km", "5", "--bandwidth-km", "30",
                                "--out", dir.appendingPathComponent("d.geojson").path])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("+lon_0=179.0 "), "drawing \(n): the projection is not centred on the area: \(r.stderr.suffix(900))")
            XCTAssertTrue(r.stderr.contains("3 events (0 outside"), "drawing \(n): \(r.stderr.suffix(900))")
            func number(_ pattern: String) -> Double? {
                guard let m = r.stderr.range(of: pattern, options: .regularExpression) else { return nil }
                return Double(r.stderr[m].split(separator: " ").first { Double($0) != nil } ?? "")
            }
            let areaKm2 = try XCTUnwrap(number(#"[0-9]+ km²;"#), r.stderr)
            let cells = try XCTUnwrap(number(#"[0-9]+ cells of 5.0 km inside"#), r.stderr)
            cellCounts.insert(Int(cells))
            // 4° × 3° at 17.5° S is about 141,000 km²; the 5 km cells must cover it, not the world.
            XCTAssertEqual(cells * 25, areaKm2, accuracy: areaKm2 * 0.02, "drawing \(n)")
            XCTAssertEqual(areaKm2, 141_000, accuracy: 3_000, "drawing \(n)")
            let mass = try XCTUnwrap(number(#"mass in area [0-9.]+"#), r.stderr)
            XCTAssertEqual(mass, 3, accuracy: 0.05, "drawing \(n): events lost across 180°")
        }
        XCTAssertEqual(cellCounts.count, 1, "the two drawings gave different grids: \(cellCounts)")
        let past = dir.appendingPathComponent("fiji-past-180.geojson")
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[177,-19],[181,-19],[181,-16],[177,-16],[177,-19]]]}}]}"#
            .write(to: past, atomically: true, encoding: .utf8)
        try assertRefused(["density", "--area", past.path, "--events", events.path, "--out", dir.appendingPathComponent("d.geojson").path],
                          status: 1, mentioning: "outside lon −180…180")
    }

    /// A 50 MB header line (and a 2 MB field) is refused at 1 MiB with a short message, not
    /// read whole and echoed; duplicate header names are refused naming the columns; JSON nested
    /// deeper than 512 levels is refused.
    func testHugeHeadersDuplicateColumnsAndDeepJSONAreRefusedBriefly() throws {
        let out = dir.appendingPathComponent("o.geojson").path
        let header = dir.appendingPathComponent("header.csv")
        var big = Data(repeating: UInt8(ascii: "a"), count: 50 << 20)
        big.append(contentsOf: Array(",latitude,longitude\n2025-01-01,14.35,-3.60\n".utf8))
        try big.write(to: header)
        let r = try runCLI(["density", "--events", header.path, "--out", out])
        XCTAssertEqual(r.status, 1, String(r.stderr.prefix(600)))
        XCTAssertTrue(r.stderr.contains("longer than 1 MiB"), String(r.stderr.prefix(600)))
        XCTAssertLessThan(r.stderr.utf8.count, 4_000, "the message echoes the header")
        let field = dir.appendingPathComponent("field.csv")
        try ("event_date,latitude,longitude,notes\n2025-01-01,14.35,-3.60,\"" + String(repeating: "x", count: 2 << 20) + "\"\n")
            .write(to: field, atomically: true, encoding: .utf8)
        try assertRefused(["density", "--events", field.path, "--out", out], status: 1, mentioning: "longer than 1 MiB")
        let duplicate = dir.appendingPathComponent("duplicate.csv")
        try "event_date,latitude,longitude,latitude\n2025-01-01,14.35,-3.60,15.0\n".write(to: duplicate, atomically: true, encoding: .utf8)
        try assertRefused(["density", "--events", duplicate.path, "--out", out], status: 1,
                          mentioning: "has 2 columns named \"latitude\" (columns 2, 4)")
        let deep = dir.appendingPathComponent("deep.geojson")
        try (String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000))
            .write(to: deep, atomically: true, encoding: .utf8)
        try assertRefused(["density", "--events", deep.path, "--out", out], status: 1, mentioning: "nesting too deep")
    }

    /// One bad row among 200,000 is rejected alone (the issue measured 1M rows on a release
    /// build; a debug build reads 200k in a few seconds).
    func testOneBadRowInALargeFileRejectsOnlyThatRow() throws {
        let csv = dir.appendingPathComponent("large.csv")
        var text = "event_id,event_date,latitude,longitude\n"
        text.reserveCapacity(200_000 * 40)
        for i in 0..<200_000 {
            text += i == 123_456 ? "e\(i),2025-01-01,not-a-latitude,-3.60\n" : "e\(i),2025-01-01,\(14 + Double(i % 1000) / 1000),-3.60\n"
        }
        try text.write(to: csv, atomically: true, encoding: .utf8)
        let r = try runCLI(["density", "--events", csv.path, "--out", dir.appendingPathComponent("o.geojson").path])
        XCTAssertEqual(r.status, 0, String(r.stderr.suffix(600)))
        XCTAssertTrue(r.stderr.contains("read 199999 incidents"), String(r.stderr.suffix(600)))
        XCTAssertTrue(r.stderr.contains("large.csv:123458"), String(r.stderr.suffix(600)))
    }

    func testADirectoryGivenAsTheEventsFile() throws {
        let r = try runCLI(["density", "--events", dir.path, "--out", dir.appendingPathComponent("o.geojson").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertFalse(r.stderr.contains("NSCocoaErrorDomain"), r.stderr)
        XCTAssertTrue(r.stderr.contains(dir.path), r.stderr)
    }
}

/// Runs one SQL statement on a store with the sqlite3 Python module (independent of GRDB).
func sqlite(_ db: URL, _ sql: String) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()", db.path, sql]
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw XCTSkip("python3 with sqlite3 is needed to edit the store") }
}
