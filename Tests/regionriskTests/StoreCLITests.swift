import Foundation
import XCTest

/// The commands on both stores: a SQLite file and a real PostgreSQL + PostGIS server
/// (`scripts/pg-cluster.sh`, named by `$REGIONRISK_TEST_PG`; the PostgreSQL tests skip
/// without it). Each PostgreSQL test works in a database of its own, made from the
/// cluster's template with psql.
final class StoreCLITests: XCTestCase {
    private var dir: URL!
    private var databases: [String] = []
    private var sqlite: String { dir.appendingPathComponent("incidents.sqlite").path }
    private let sample = "../shared/seed/incidents-2024-2025.csv"

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for db in databases { _ = try? psql("postgres", "DROP DATABASE IF EXISTS \(db) WITH (FORCE)") }
        try? FileManager.default.removeItem(at: dir)
    }

    private var serverURL: URLComponents {
        get throws {
            guard let text = ProcessInfo.processInfo.environment["REGIONRISK_TEST_PG"], !text.isEmpty, let c = URLComponents(string: text) else {
                throw XCTSkip("REGIONRISK_TEST_PG is not set: start a server with `scripts/pg-cluster.sh start` (scripts/test.sh does)")
            }
            return c
        }
    }

    /// Runs one statement with psql as the cluster's user.
    @discardableResult
    private func psql(_ database: String, _ sql: String) throws -> String {
        let c = try serverURL
        let bin = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted().last.map { "/usr/lib/postgresql/\($0)/bin/psql" } ?? "psql"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["-h", c.host!, "-p", String(c.port!), "-U", c.user!, "-d", database, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql]
        p.environment = ["PGPASSWORD": c.password ?? "", "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "psql \(sql)")
        return String(decoding: data, as: UTF8.self)
    }

    /// A new empty PostgreSQL database with PostGIS; its URL (with the cluster's password).
    private func newPostgres() throws -> String {
        let name = "rrcli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try psql("postgres", "CREATE DATABASE \(name) TEMPLATE regionrisk_template")
        databases.append(name)
        var c = try serverURL
        c.path = "/" + name
        return c.string!
    }

    private func sharedSample() throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(sample).standardized.path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("../shared is absent") }
        let copy = dir.appendingPathComponent("incidents-2024-2025.csv")
        if !FileManager.default.fileExists(atPath: copy.path) { try FileManager.default.copyItem(atPath: path, toPath: copy.path) }
        return copy.path
    }

    private func ok(_ arguments: [String], _ env: [String: String] = [:]) throws -> CLIResult {
        let r = try runCLI(arguments, environment: env)
        XCTAssertEqual(r.status, 0, "\(arguments.joined(separator: " ")): \(r.stderr)")
        return r
    }

    /// `events` as CSV without the ingest time, which differs between two ingests.
    private func events(_ db: String, _ extra: [String] = []) throws -> [String] {
        let lines = try ok(["events", "--db", db] + extra).stdout.split(separator: "\n").map(String.init)
        let column = lines.first!.split(separator: ",").firstIndex(of: "ingested_at")!
        return lines.map { line in
            // The sample's fields hold commas only inside quotes; drop the one column by position.
            var fields: [Substring] = [], current = "", quoted = false
            for ch in line {
                if ch == "\"" { quoted.toggle() }
                if ch == ",", !quoted { fields.append(Substring(current)); current = "" } else { current.append(ch) }
            }
            fields.append(Substring(current))
            return fields.enumerated().filter { $0.offset != column }.map { String($0.element) }.joined(separator: ",")
        }
    }

    func testReportOnAStoreListsTheSamplesSources() throws {
        let file = try sharedSample()
        var stores = [sqlite]
        if ProcessInfo.processInfo.environment["REGIONRISK_TEST_PG"] != nil { stores.append(try newPostgres()) }
        for db in stores {
            try ok(["ingest", file, "--db", db])
            let out = dir.appendingPathComponent("reports-\(stores.firstIndex(of: db)!)")
            let r = try runCLI(["report", "--db", db, "--out", out.path, "--as-of", "2025-07-08"])
            XCTAssertTrue([0, 3].contains(r.status), r.stderr)
            let md = try String(contentsOf: out.appendingPathComponent("latest/report.md"), encoding: .utf8)
            XCTAssertTrue(md.contains("## Sources"), md)
            XCTAssertTrue(md.contains("alwihdainfo.com/Mali-une-attaque-du-camp-militaire-de-Kwala"), "the sample's first source is listed")
        }
    }

    func testPostgresIngestTwiceEventsAndFlagEqualSQLite() throws {
        let pg = try newPostgres()
        let file = try sharedSample()
        let password = try serverURL.password!
        for db in [sqlite, pg] {
            let first = try ok(["ingest", file, "--db", db])
            let second = try ok(["ingest", file, "--db", db])
            XCTAssertTrue(second.stdout.contains("  added                0"), second.stdout)
            XCTAssertTrue(second.stdout.contains("  updated              0"), second.stdout)
            // JSON logs carry the store as a field: redacted too.
            let json = try ok(["ingest", file, "--db", db, "--log-format", "json"])
            XCTAssertTrue(json.stderr.contains("\"ingest_finished\""), json.stderr)
            for text in [first.stdout, first.stderr, second.stdout, second.stderr, json.stdout, json.stderr] {
                XCTAssertFalse(text.contains(password), "the password is never printed")
            }
        }
        XCTAssertEqual(try events(pg), try events(sqlite))
        XCTAssertEqual(try events(pg, ["--since", "2025-01-01", "--bbox", "-12.5,12,-8,15.5"]), try events(sqlite, ["--since", "2025-01-01", "--bbox", "-12.5,12,-8,15.5"]))
        var flagged: [String] = []
        for (k, db) in [sqlite, pg].enumerated() {
            let out = dir.appendingPathComponent("flag-\(k).geojson").path
            let r = try runCLI(["flag", "--db", db, "--as-of", "2025-07-08", "--out", out])
            XCTAssertTrue([0, 3].contains(r.status), r.stderr)
            XCTAssertFalse(r.stderr.contains(password))
            // The features; the file's metadata names its input store, which differs.
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
            flagged.append(String(decoding: try JSONSerialization.data(withJSONObject: json["features"]!, options: .sortedKeys), as: UTF8.self))
        }
        XCTAssertTrue(flagged[0].contains("\"new\""), "the sample flags new regions")
        XCTAssertEqual(flagged[1], flagged[0], "flag gives the same regions on both stores")
    }

    func testConcurrentIngestProcessesEndAsSerialIngests() throws {
        let pg = try newPostgres()
        let files = ["a.csv", "b.csv"].map { dir.appendingPathComponent($0).path }
        for (k, f) in files.enumerated() {
            try ok(["generate-acled", "--rows", "4000", "--seed", String(7 + k), "--first-event", String(1 + 50_000 * k), "--out", f])
        }
        for f in files { try ok(["ingest", f, "--db", sqlite]) }
        let binary = productsDirectory().appendingPathComponent("regionrisk")
        let processes = files.map { f -> Process in
            let p = Process()
            p.executableURL = binary
            p.arguments = ["ingest", f, "--db", pg]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            return p
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        XCTAssertEqual(processes.map(\.terminationStatus), [0, 0])
        /// Provenance (which run, which line) may differ; the events may not.
        func events(_ db: String) throws -> [String] {
            try self.events(db).map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(12).joined(separator: ",") }
        }
        let serial = try events(sqlite)
        XCTAssertGreaterThan(serial.count, 7_000, "both files stored")
        XCTAssertEqual(try events(pg), serial)
        XCTAssertEqual(try psql(String(URLComponents(string: pg)!.path.dropFirst()), "SELECT COUNT(*) FROM ingest_run").trimmingCharacters(in: .whitespacesAndNewlines), "2")
    }

    func testStoreCopyBothWays() throws {
        let pg = try newPostgres()
        let file = try sharedSample()
        try ok(["ingest", file, "--db", sqlite])
        let original = try events(sqlite)
        let there = try ok(["store", "copy", "--from", sqlite, "--to", pg])
        XCTAssertFalse(there.stderr.contains(try serverURL.password!))
        XCTAssertEqual(try events(pg), original)
        let back = dir.appendingPathComponent("back.sqlite").path
        try ok(["store", "copy", "--from", pg, "--to", back])
        XCTAssertEqual(try events(back), original)
        let again = try runCLI(["store", "copy", "--from", sqlite, "--to", pg])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("empty store"), again.stderr)
    }
}
