import Foundation
import XCTest

/// `regionrisk ingest` and `regionrisk events` run as a user (or cron) runs them.
final class IngestCLITests: XCTestCase {
    private var dir: URL!
    private var db: String { dir.appendingPathComponent("incidents.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    /// A committed fixture copied into the test folder (rejects files are written beside inputs).
    private func fixture(_ name: String) throws -> String {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RegionRiskTests/Fixtures/events/in/\(name)")
        let copy = dir.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: copy.path) { try FileManager.default.copyItem(at: source, to: copy) }
        return copy.path
    }

    /// The stored events as `regionrisk events` exports them (provenance included).
    private func export(_ extra: [String] = []) throws -> String {
        let r = try runCLI(["events", "--db", db] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout
    }

    /// The header and record lines of an export (a quoted note may span lines; its further
    /// lines do not start with a source name).
    private func records(_ csv: String) -> [Substring] {
        csv.split(separator: "\n").filter { line in ["source,", "acled,", "ucdp,", "csv,"].contains { line.hasPrefix($0) } }
    }

    /// The count printed on a summary line such as `  added     4`.
    private func count(_ label: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("  \(label) ") {
            return Int(line.dropFirst(label.count + 2).trimmingCharacters(in: .whitespaces).split(separator: " ")[0])
        }
        return nil
    }

    func testIngestSummarisesAndASecondRunChangesNothing() throws {
        let file = try fixture("acled-classic.csv")
        let first = try runCLI(["ingest", file, "--db", db])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(count("added", in: first.stdout), 4)
        XCTAssertEqual(count("skipped", in: first.stdout), 1)
        XCTAssertEqual(count("rejected", in: first.stdout), 0)
        XCTAssertTrue(first.stdout.contains("ACLED, 5 rows"), first.stdout)
        let exported = try export()
        let second = try runCLI(["ingest", file, "--db", db])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(count("added", in: second.stdout), 0)
        XCTAssertEqual(count("unchanged", in: second.stdout), 4)
        XCTAssertEqual(try export(), exported)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("acled-classic.rejects.csv").path))
    }

    func testRejectedRowsGoBesideTheInputAndAreCounted() throws {
        let file = try fixture("bad-rows.csv")
        let r = try runCLI(["ingest", file, "--db", db])
        XCTAssertEqual(r.status, 0, "good rows were stored")
        XCTAssertEqual(count("added", in: r.stdout), 2)
        XCTAssertEqual(count("rejected", in: r.stdout), 15)
        XCTAssertTrue(r.stderr.contains("rejected: bad-rows.csv:3: latitude: \"abc\" is not a number"), r.stderr)
        let rejects = try String(contentsOf: dir.appendingPathComponent("bad-rows.rejects.csv"), encoding: .utf8)
        let lines = rejects.split(separator: "\n")
        XCTAssertEqual(lines.first, "file,line,column,reason,record")
        XCTAssertEqual(lines.count, 16)
        XCTAssertEqual(lines[1], "bad-rows.csv,3,latitude,\"\"\"abc\"\" is not a number\",\"B-lat-text,2024-07-01,abc,-4.2,1,Mopti\"")

        let elsewhere = dir.appendingPathComponent("out/rejects.csv").path
        XCTAssertEqual(try runCLI(["ingest", file, "--db", db, "--rejects", elsewhere]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: elsewhere, encoding: .utf8), rejects)
    }

    func testStrictModeStoresNothingAndFails() throws {
        _ = try runCLI(["ingest", try fixture("acled-classic.csv"), "--db", db])
        let before = try export()
        let r = try runCLI(["ingest", try fixture("bad-rows.csv"), "--db", db, "--strict"])
        XCTAssertEqual(r.status, 3)
        XCTAssertTrue(r.stderr.contains("--strict"), r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad-rows.rejects.csv").path))
        XCTAssertEqual(try export(), before)
    }

    func testUnreadableInputsFailNamingTheFileAndChangeNothing() throws {
        _ = try runCLI(["ingest", try fixture("acled-classic.csv"), "--db", db])
        let before = try export()
        let cases = [
            ("empty.csv", "is empty"), ("header-only.csv", "has a header but no rows"),
            ("unbalanced-quotes.csv", "unbalanced quotes"),
        ]
        for (name, message) in cases {
            let r = try runCLI(["ingest", try fixture(name), "--db", db])
            XCTAssertEqual(r.status, 1, name)
            XCTAssertTrue(r.stderr.contains(name) && r.stderr.contains(message), r.stderr)
        }
        let missing = try runCLI(["ingest", dir.appendingPathComponent("missing.csv").path, "--db", db])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("missing.csv: no such file"), missing.stderr)
        XCTAssertEqual(try export(), before)
    }

    func testEveryRowRejectedIsAFailure() throws {
        let r = try runCLI(["ingest", try fixture("news-places.csv"), "--db", db, "--lat-col", "admin1", "--lon-col", "admin1"])
        XCTAssertEqual(r.status, 1, r.stdout)
        XCTAssertTrue(r.stderr.contains("nothing was stored from 4 rows: 4 rejected"), r.stderr)
    }

    /// A damaged imported gazetteer is said once, and the rows that needed it are rejected, never
    /// stored at a guess; a file with coordinates never loads the gazetteer at all.
    func testADamagedGazetteerIsSaidAndItsRowsRejected() throws {
        let data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data.appendingPathComponent("gazetteers"), withIntermediateDirectories: true)
        try Data("not a gazetteer".utf8).write(to: data.appendingPathComponent("gazetteers/XX.rrgaz"))
        let env = ["REGIONRISK_DATA_DIR": data.path]
        let r = try runCLI(["ingest", try fixture("news-places.csv"), "--db", db], environment: env)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(count("added", in: r.stdout), 1, "the one row with coordinates")
        XCTAssertEqual(count("rejected", in: r.stdout), 3, "the three that needed the gazetteer")
        XCTAssertEqual(r.stderr.components(separatedBy: "the gazetteer could not be loaded").count - 1, 1, r.stderr)
        let withCoordinates = try runCLI(["ingest", try fixture("acled-classic.csv"), "--db", db], environment: env)
        XCTAssertEqual(withCoordinates.status, 0, withCoordinates.stderr)
        XCTAssertFalse(withCoordinates.stderr.contains("gazetteer"), withCoordinates.stderr)
    }

    func testColumnFlagsAndLatin1() throws {
        let r = try runCLI([
            "ingest", try fixture("custom-columns.csv"), "--db", db, "--lat-col", "Y", "--lon-col", "X", "--date-col", "When",
            "--place-col", "Town", "--admin1-col", "Region", "--weight-col", "Score", "--type-col", "Kind", "--id-col", "Ref",
            "--source", "partner",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(count("added", in: r.stdout), 2)
        let csv = try export(["--source", "partner"])
        XCTAssertTrue(csv.contains("partner,C-1,2024-11-02,13.4317,-6.2157,,Segou,Segou,clash,,,2.5,"), csv)

        let latin = try runCLI(["ingest", try fixture("latin1.csv"), "--db", db])
        XCTAssertEqual(latin.status, 0)
        XCTAssertTrue(latin.stdout.contains("Latin-1"), latin.stdout)
        XCTAssertTrue(try export(["--admin1", "SÉGOU"]).contains(",Ségou,Ségou,"), "stored as UTF-8, matched case-insensitively")
    }

    func testEventsExportsFilteredCSVAndGeoJSON() throws {
        _ = try runCLI(["ingest", try fixture("acled-classic.csv"), "--db", db])
        _ = try runCLI(["ingest", try fixture("ucdp-ged.csv"), "--db", db])
        let csv = try export(["--since", "2024-07-01", "--until", "2024-12-31"])
        XCTAssertEqual(records(csv).map { $0.split(separator: ",")[1] }, ["event_id", "MLI9002", "MLI9003"])
        let out = dir.appendingPathComponent("sub/events.geojson").path
        let r = try runCLI(["events", "--db", db, "--format", "geojson", "--bbox", "-4,14,-1,16", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("wrote 3 events"), r.stderr)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(text.contains("\"id\":\"acled:MLI9001\""))
        XCTAssertTrue(text.contains("\"id\":\"ucdp:900001\""))
        XCTAssertTrue(text.contains("\"id\":\"ucdp:900003\""))
        XCTAssertFalse(text.contains("MLI9002"), "west of the box")
        // ISO datetimes for kepler.gl: every exported event has its day as start/end.
        let features = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])["features"] as? [[String: Any]]
        for f in try XCTUnwrap(features) {
            let p = try XCTUnwrap(f["properties"] as? [String: Any])
            let day = try XCTUnwrap(p["event_date"] as? String)
            XCTAssertEqual(p["start"] as? String, "\(day)T00:00:00Z")
            XCTAssertTrue((p["end"] as? String ?? "") > "\(day)T00:00:00Z")
        }
        XCTAssertEqual(records(try export(["--type", "one-sided violence"])).count, 2)
        // By the region polygons, as the report counts: Labbezanga, and UCDP's "Menaka region" event,
        // which lies in the embedded Gao polygon (the 9 embedded regions predate Ménaka's); plus the header.
        XCTAssertEqual(records(try export(["--admin1", "gao"])).count, 3)
        XCTAssertEqual(try runCLI(["events", "--db", db, "--since", "2025-02-30"]).status, 64)
        XCTAssertEqual(try runCLI(["events", "--db", db, "--since", "2025-01-01", "--until", "2024-01-01"]).status, 64)
        let none = try runCLI(["events", "--db", dir.appendingPathComponent("none.sqlite").path])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("regionrisk ingest"), none.stderr)
    }

    func testDatabaseLocationFollowsEnvironment() throws {
        let file = try fixture("seed-format.csv")
        let viaEnv = dir.appendingPathComponent("env/db.sqlite").path
        XCTAssertEqual(try runCLI(["ingest", file], environment: ["REGIONRISK_DB": viaEnv]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: viaEnv))
        let xdg = dir.appendingPathComponent("xdg").path
        XCTAssertEqual(try runCLI(["ingest", file], environment: ["REGIONRISK_DB": "", "XDG_DATA_HOME": xdg]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: xdg + "/regionrisk/incidents.sqlite"))
    }

    func testDeletionsFlag() throws {
        _ = try runCLI(["ingest", try fixture("acled-classic.csv"), "--db", db])
        let r = try runCLI(["ingest", try fixture("acled-classic.csv"), "--db", db, "--deletions", try fixture("deletions.csv")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(count("deleted", in: r.stdout), 1)
        XCTAssertFalse(try export().contains("MLI9002"))
    }

    /// A nightly ingest killed with SIGKILL halfway through leaves the database exactly as it was.
    /// The child reads a FIFO, so the test knows it is inside its transaction when it kills it:
    /// it has stored 16,384 rows and is waiting for more.
    func testKill9MidIngestLeavesTheDatabaseAsBefore() throws {
        _ = try runCLI(["ingest", try fixture("acled-classic.csv"), "--db", db])
        let before = try export()
        let file = dir.appendingPathComponent("big.csv").path
        let gen = try runCLI(["generate-acled", "--rows", "40000", "--seed", "9", "--first-event", "1000000", "--out", file])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)

        let child = try FIFOIngest(fifo: dir.appendingPathComponent("feed.csv").path, db: db)
        try child.feed(lines.prefix(35_001).joined(separator: "\n") + "\n")
        // Progress comes every 16,384 stored rows (the count shown also includes rows outside the
        // area): the first report means that many rows are in the open transaction.
        XCTAssertTrue(child.waitForStderr("progress: "), "the child never reported progress")
        XCTAssertTrue(child.process.isRunning)
        kill(child.process.processIdentifier, SIGKILL)
        child.process.waitUntilExit()
        XCTAssertEqual(child.process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(child.process.terminationStatus, SIGKILL)

        XCTAssertEqual(try export(), before, "nothing of the killed ingest is visible")
        // The database still works: the same file, ingested to the end, lands whole.
        let r = try runCLI(["ingest", file, "--db", db])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual((count("added", in: r.stdout) ?? 0) + (count("outside area", in: r.stdout) ?? 0), 40_000)
        let after = Set(try export().split(separator: "\n"))
        XCTAssertTrue(before.split(separator: "\n").allSatisfy(after.contains), "the earlier events are untouched")
    }

    /// Two ingests started at once into one database: one waits for the other, both land.
    func testConcurrentIngestsBothLand() throws {
        let a = dir.appendingPathComponent("a.csv").path, b = dir.appendingPathComponent("b.csv").path
        XCTAssertEqual(try runCLI(["generate-acled", "--rows", "20000", "--seed", "1", "--out", a]).status, 0)
        XCTAssertEqual(try runCLI(["generate-acled", "--rows", "20000", "--seed", "2", "--first-event", "500001", "--out", b]).status, 0)
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            results.set(k, try? runCLI(["ingest", k == 0 ? a : b, "--db", db]))
        }
        var stored = 0
        for k in 0..<2 {
            let r = try XCTUnwrap(results.get(k))
            XCTAssertEqual(r.status, 0, r.stderr)
            // Every row lands or is listed: the generator spreads a background over Mali's
            // bounding box, so some rows fall outside Mali.
            let added = try XCTUnwrap(count("added", in: r.stdout)), outside = try XCTUnwrap(count("outside area", in: r.stdout))
            XCTAssertEqual(added + outside, 20000)
            XCTAssertGreaterThan(added, 15000)
            stored += added
        }
        XCTAssertEqual(records(try export()).count, stored + 1)
    }

    /// With no waiting allowed, an ingest that finds another one writing fails with a clear
    /// message and its own exit status, and stores nothing.
    func testABusyDatabaseFailsWithExitStatus75() throws {
        _ = try runCLI(["ingest", try fixture("seed-format.csv"), "--db", db])
        // The child holds the write transaction while it waits for its input.
        let child = try FIFOIngest(fifo: dir.appendingPathComponent("feed.csv").path, db: db)
        let r = try runCLI(["ingest", try fixture("acled-classic.csv"), "--db", db, "--wait", "0"])
        XCTAssertEqual(r.status, 75, r.stderr)
        XCTAssertTrue(r.stderr.contains("locked"), r.stderr)
        try child.feed(String(contentsOfFile: try fixture("ucdp-ged.csv"), encoding: .utf8))
        child.close()
        child.process.waitUntilExit()
        XCTAssertEqual(child.process.terminationStatus, 0)
        let stored = try export()
        XCTAssertFalse(stored.contains("MLI9001"), "the refused ingest stored nothing")
        XCTAssertTrue(stored.contains("900001"), "the one that held the lock finished")
    }
}

/// `regionrisk ingest` reading a FIFO that the test writes: while the test holds back input, the
/// child sits inside its ingest transaction.
private final class FIFOIngest {
    let process = Process()
    private let stderr = Pipe()
    private var fd: Int32 = -1
    private var seen = ""

    init(fifo: String, db: String) throws {
        guard mkfifo(fifo, 0o600) == 0 else { throw XCTSkip("mkfifo failed") }
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = productsDirectory().appendingPathComponent("regionrisk")
        // --format: sniffing the format would consume the FIFO's first bytes.
        process.arguments = ["ingest", fifo, "--db", db, "--format", "csv", "--progress", "--rejects", fifo + ".rejects.csv"]
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Opening for writing succeeds once the child has opened the FIFO, which it does
        // inside its transaction.
        let deadline = Date().addingTimeInterval(60)
        while fd < 0 {
            fd = open(fifo, O_WRONLY | O_NONBLOCK)
            if fd < 0 {
                guard errno == ENXIO, Date() < deadline, process.isRunning else {
                    throw NSError(domain: "FIFOIngest", code: 1, userInfo: [NSLocalizedDescriptionKey: "the child never opened the FIFO"])
                }
                usleep(10_000)
            }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    }

    func feed(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw NSError(domain: "FIFOIngest", code: 2) }
            bytes = bytes.dropFirst(n)
        }
    }

    func close() {
        if fd >= 0 { closeDescriptor(fd) }
        fd = -1
    }

    /// Reads the child's standard error until `text` appears (false if it ends first).
    /// Reads the child's stderr until `text` appears, for at most `timeout` seconds (a test
    /// must fail, never hang CI).
    func waitForStderr(_ text: String, timeout: Double = 120) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        let fd = stderr.fileHandleForReading.fileDescriptor
        while !seen.contains(text) {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard left > 0, poll(&p, 1, left) > 0 else { return false }
            let chunk = stderr.fileHandleForReading.availableData
            if chunk.isEmpty { return false }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        return true
    }

    deinit {
        close()
        if process.isRunning { process.terminate() }
    }
}

/// `close(2)`, out of reach inside a type with its own `close()`.
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

private final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: CLIResult] = [:]
    func set(_ k: Int, _ v: CLIResult?) { lock.withLock { values[k] = v } }
    func get(_ k: Int) -> CLIResult? { lock.withLock { values[k] } }
}
