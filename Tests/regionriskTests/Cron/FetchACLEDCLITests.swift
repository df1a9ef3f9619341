import Foundation
import XCTest

/// `regionrisk fetch acled` against a loopback stand-in for ACLED's API
/// (Fixtures/acled-standin/acled_standin.py, started here).
final class FetchACLEDCLITests: ScratchFolderTestCase {
    private let email = "analyst@example.org"
    private let password = "Pa55-w0rd-NEVER-LOGGED"
    private var server: Process?
    private var base = ""
    private var state: URL { dir.appendingPathComponent("standin") }

    override func setUpWithError() throws {
        try super.setUpWithError()
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile)
            ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map({ "\($0)/python3" }).first(where: FileManager.default.isExecutableFile)
        else { throw XCTSkip("python3 is needed for the ACLED stand-in") }
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/acled-standin/acled_standin.py").path, state.path]
        p.environment = ["STANDIN_EMAIL": email, "STANDIN_PASSWORD": password, "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        server = p
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let port = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard Int(port) != nil else { throw XCTSkip("the ACLED stand-in did not start") }
        base = "http://127.0.0.1:\(port)"
    }

    override func tearDown() {
        server?.terminate()
        server?.waitUntilExit()
        super.tearDown()
    }

    /// An event row as ACLED's API sends it: every field a string.
    private func event(_ n: Int, _ place: String, lat: Double, lon: Double, admin1: String, timestamp: Int, date: String = "2025-06-1") -> [String: String] {
        ["event_id_cnty": "MLI\(n)", "event_date": "\(date)\(n % 10)", "year": "2025", "time_precision": "1",
         "disorder_type": "Political violence", "event_type": "Battles", "sub_event_type": "Armed clash",
         "actor1": "JNIM: Group for Support of Islam and Muslims", "assoc_actor_1": "", "inter1": "2",
         "actor2": "Military Forces of Mali (2021-)", "assoc_actor_2": "", "inter2": "1", "interaction": "12",
         "civilian_targeting": "", "iso": "466", "region": "Western Africa", "country": "Mali", "admin1": admin1,
         "admin2": "", "admin3": "", "location": place, "latitude": String(lat), "longitude": String(lon), "geo_precision": "1",
         "source": "Studio Tamani", "source_scale": "National", "notes": "On \(n) June 2025, an armed clash near \(place), \"reported\".",
         "fatalities": String(n % 3), "tags": "", "timestamp": String(timestamp)]
    }

    private var firstNight: [[String: String]] {
        [event(1, "Kayes", lat: 14.4469, lon: -11.4456, admin1: "Kayes", timestamp: 1_750_000_001),
         event(2, "Nioro du Sahel", lat: 15.2305, lon: -9.5899, admin1: "Kayes", timestamp: 1_750_000_002),
         event(3, "Mopti", lat: 14.4843, lon: -4.1827, admin1: "Mopti", timestamp: 1_750_000_003),
         event(4, "Segou", lat: 13.4317, lon: -6.2157, admin1: "Segou", timestamp: 1_750_000_004),
         event(5, "Timbuktu", lat: 16.7735, lon: -3.0074, admin1: "Timbuktu", timestamp: 1_750_000_005),
         event(6, "Gao", lat: 16.2666, lon: -0.0400, admin1: "Gao", timestamp: 1_750_000_006),
         event(7, "Sikasso", lat: 11.3176, lon: -5.6665, admin1: "Sikasso", timestamp: 1_750_000_007),
         event(8, "Kidal", lat: 18.4411, lon: 1.4078, admin1: "Kidal", timestamp: 1_750_000_008)]
    }

    private func serve(events: [[String: String]], deleted: [[String: String]] = [], faults: [String: [Int]] = [:]) throws {
        try JSONSerialization.data(withJSONObject: events).write(to: state.appendingPathComponent("events.json"))
        try JSONSerialization.data(withJSONObject: deleted).write(to: state.appendingPathComponent("deleted.json"))
        try JSONSerialization.data(withJSONObject: faults).write(to: state.appendingPathComponent("faults.json"))
    }

    private func requests() throws -> [[String: Any]] {
        let text = (try? String(contentsOf: state.appendingPathComponent("requests.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    private func fetch(_ extra: [String] = [], env: [String: String]? = nil) throws -> CLIResult {
        try runCLI(["fetch", "acled", "--country", "Mali", "--db", db, "--page-size", "3", "--api-base", base,
                    "--backoff-seconds", "0.2", "--log-format", "json"] + extra,
                   environment: env ?? ["ACLED_EMAIL": email, "ACLED_PASSWORD": password])
    }

    private func storedIDs() throws -> [String] {
        let r = try runCLI(["events", "--db", db])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }.sorted()
    }

    private func assertNoPassword(_ r: CLIResult, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertFalse(r.stdout.contains(password), "password on stdout", file: file, line: line)
        XCTAssertFalse(r.stderr.contains(password), "password on stderr", file: file, line: line)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where !name.hasPrefix("incidents.sqlite") && name != "standin" && !name.hasSuffix(".env") {
            let text = (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? ""
            XCTAssertFalse(text.contains(password), "password in \(name)", file: file, line: line)
        }
        if let store = FileManager.default.contents(atPath: db) {
            XCTAssertNil(store.range(of: Data(password.utf8)), "password in the store", file: file, line: line)
        }
    }

    func testFetchStoresEveryPageAppliesDeletionsAndContinuesIncrementally() throws {
        // Night 1: 8 events in pages of 3 (3, 3, 2); page 2 first answers 429 (Retry-After: 1), then 503.
        try serve(events: firstNight, faults: ["/api/acled/read page 2": [429, 503]])
        let first = try fetch()
        XCTAssertEqual(first.status, 0, first.stderr)
        try assertNoPassword(first)
        XCTAssertEqual(try storedIDs(), (1...8).map { "MLI\($0)" }.sorted())
        let lines = jsonLines(first.stderr)
        XCTAssertEqual(lines.filter { $0["event"] as? String == "page_fetched" && $0["endpoint"] as? String == "/api/acled/read" }
            .compactMap { $0["rows"] as? Int }, [3, 3, 2])
        let retries = lines.filter { $0["event"] as? String == "request_retried" }
        XCTAssertEqual(retries.compactMap { $0["status"] as? Int }, [429, 503])
        XCTAssertEqual(retries.first?["wait_seconds"] as? Double, 1, "Retry-After is honoured")
        let summary = try XCTUnwrap(lines.last)
        XCTAssertEqual(summary["event"] as? String, "run_finished")
        XCTAssertEqual((summary["counts"] as? [String: Int])?["added"], 8)
        XCTAssertEqual((summary["counts"] as? [String: Int])?["pages"], 3)

        // What the stand-in saw: the documented token form, then Bearer reads with the documented parameters.
        var seen = try requests()
        let token = try XCTUnwrap(seen.first)
        XCTAssertEqual(token["path"] as? String, "/oauth/token")
        XCTAssertEqual(token["username"] as? String, email)
        XCTAssertEqual(token["password_ok"] as? Bool, true)
        XCTAssertEqual(token["grant_type"] as? String, "password")
        XCTAssertEqual(token["client_id"] as? String, "acled")
        let reads = seen.filter { $0["path"] as? String == "/api/acled/read" }.compactMap { $0["query"] as? [String: String] }
        XCTAssertEqual(reads.map { $0["page"] ?? "" }, ["1", "2", "2", "2", "3"])
        for q in reads {
            XCTAssertEqual(q["_format"], "json")
            XCTAssertEqual(q["country"], "Mali")
            XCTAssertEqual(q["limit"], "3")
            XCTAssertNil(q["timestamp"], "the first fetch reads everything")
        }
        XCTAssertTrue(seen.filter { $0["path"] as? String != "/oauth/token" }.allSatisfy { $0["authorized"] as? Bool == true })

        // Night 2: one event added, one changed, and MLI2 deleted; only rows changed since night 1 are asked for.
        try FileManager.default.removeItem(at: state.appendingPathComponent("requests.jsonl"))
        var changed = firstNight
        changed[2]["fatalities"] = "9"
        changed[2]["timestamp"] = "1750000100"
        changed.remove(at: 1)
        changed.append(event(9, "Bamako", lat: 12.6392, lon: -8.0029, admin1: "Bamako", timestamp: 1_750_000_101))
        try serve(events: changed, deleted: [["event_id_cnty": "MLI2", "deleted_timestamp": "1750000050"],
                                             ["event_id_cnty": "MLI77", "deleted_timestamp": "1700000000"]])
        let second = try fetch()
        XCTAssertEqual(second.status, 0, second.stderr)
        try assertNoPassword(second)
        XCTAssertEqual(try storedIDs(), ["MLI1", "MLI3", "MLI4", "MLI5", "MLI6", "MLI7", "MLI8", "MLI9"])
        seen = try requests()
        let incremental = seen.filter { $0["path"] as? String == "/api/acled/read" }.compactMap { $0["query"] as? [String: String] }
        XCTAssertEqual(incremental.first?["timestamp"], "1750000008", "continues from the latest timestamp of night 1")
        XCTAssertEqual(incremental.first?["timestamp_where"], ">=")
        let deletionsRead = seen.filter { $0["path"] as? String == "/api/deleted/read" }.compactMap { $0["query"] as? [String: String] }
        XCTAssertEqual(deletionsRead.first?["deleted_timestamp"], "1750000008")
        let counts = jsonLines(second.stderr).last?["counts"] as? [String: Int]
        XCTAssertEqual(counts?["added"], 1)    // MLI9 (MLI8 is at the boundary timestamp: unchanged)
        XCTAssertEqual(counts?["updated"], 1)  // MLI3
        XCTAssertEqual(counts?["deleted"], 1)  // MLI2
        let mli3 = try runCLI(["events", "--db", db]).stdout.split(separator: "\n").first { $0.contains(",MLI3,") }
        XCTAssertTrue(mli3?.contains(",9,") == true, String(mli3 ?? ""))
    }

    func testRefusedCredentialsSayWhyAndNeverShowThePassword() throws {
        try serve(events: firstNight)
        let wrong = "Wr0ng-" + password
        let r = try fetch(env: ["ACLED_EMAIL": email, "ACLED_PASSWORD": wrong])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("ACLED refused the credentials (HTTP 401"), r.stderr)
        XCTAssertFalse(r.stderr.contains(wrong) || r.stdout.contains(wrong))
        if FileManager.default.fileExists(atPath: db) { XCTAssertEqual(try storedIDs(), []) }

        let none = try fetch(env: [:])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("ACLED_EMAIL"), none.stderr)
    }

    func testCredentialsFileMustBeOwnerOnly() throws {
        try serve(events: firstNight)
        let file = try write("# ACLED account\nACLED_EMAIL=\(email)\nACLED_PASSWORD=\"\(password)\"\n", "acled.env")
        XCTAssertEqual(chmod(file, 0o644), 0)
        let open = try fetch(["--credentials", file], env: [:])
        XCTAssertEqual(open.status, 1)
        XCTAssertTrue(open.stderr.contains("chmod 600"), open.stderr)
        try assertNoPassword(open)
        XCTAssertTrue(try requests().isEmpty, "nothing is sent with a file others can read")

        XCTAssertEqual(chmod(file, 0o600), 0)
        let ok = try fetch(["--credentials", file], env: [:])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        try assertNoPassword(ok)
        XCTAssertEqual(try storedIDs().count, 8)
    }

    func testPersistentServerErrorsGiveUpAfterTheLastAttemptAndStoreNothing() throws {
        try serve(events: firstNight, faults: ["/api/acled/read page 1": [500, 500, 500]])
        let r = try fetch(["--max-attempts", "3"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("after 3 attempts"), r.stderr)
        XCTAssertEqual(try requests().filter { $0["path"] as? String == "/api/acled/read" }.count, 3)
        try assertNoPassword(r)
    }
}
