import Foundation
import XCTest
import RegionRisk

/// `regionrisk geocode` and `regionrisk gazetteer`, run as a user would, with a private data
/// folder so that the user's imported gazetteers do not leak in.
final class GeocodeCLITests: XCTestCase {
    var dataDir: URL!

    override func setUpWithError() throws {
        dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("regionrisk-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        try PreparedGazetteerCache.install(into: dataDir)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dataDir) }

    func run(_ args: [String], stdin: String? = nil) throws -> CLIResult {
        try runCLI(args, stdin: stdin, environment: ["REGIONRISK_DATA_DIR": dataDir.path])
    }

    func testTableForTheIssuesExample() throws {
        let r = try run(["geocode", "Nioro du Sahel", "Dioura", "Tombouctou"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("QUERY"))
        let nioro = try XCTUnwrap(lines.first { $0.hasPrefix("Nioro du Sahel") })
        XCTAssertTrue(nioro.contains("Nioro (alternate: Nioro du Sahel)"), nioro)
        XCTAssertTrue(nioro.contains("-9.592770") && nioro.contains("15.229320") && nioro.contains("Kayes"), nioro)
        let tombouctou = try XCTUnwrap(lines.first { $0.hasPrefix("Tombouctou") })
        XCTAssertTrue(tombouctou.contains("Timbuktu"), tombouctou)
    }

    /// Issue 10's examples through `--file -`: Kwala with its region is Kwala, not Sokolo; a
    /// match contradicting its hint is not confident; a cercle column decides namesakes.
    func testBatchLinesWithRegionAndCercleHints() throws {
        let r = try run(["geocode", "--file", "-", "--json"], stdin: "Kwala\tKoulikoro\nGoundam, Menaka\nSokoura\tMopti\tBankass\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        let results = try XCTUnwrap(try JSONValue.parse(Data(r.stdout.utf8)).arrayValue)
        XCTAssertEqual(results.count, 3)
        XCTAssertEqual(results[0]["match"]?["geonameid"], 2454220)
        XCTAssertEqual(results[1]["match"]?["name"], "Goundam")
        XCTAssertLessThanOrEqual(try XCTUnwrap(results[1]["confidence"]?.doubleValue), 0.5)
        XCTAssertEqual(results[2]["match"]?["geonameid"], 2450836)
    }

    func testJSONCarriesCoordinatesConfidenceAndAlternatives() throws {
        let r = try run(["geocode", "--json", "--limit", "2", "Dioura, Mopti", "Kayes"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONValue.parse(Data(r.stdout.utf8))
        let results = try XCTUnwrap(json.arrayValue)
        XCTAssertEqual(results.count, 2)
        XCTAssertEqual(results[0]["match"]?["geonameid"], 2458636)
        XCTAssertEqual(results[0]["match"]?["lat"]?.doubleValue ?? 0, 14.8252, accuracy: 1e-6)
        XCTAssertEqual(results[0]["hint"], "region Mopti")
        XCTAssertEqual(results[1]["match"]?["admin1"], "Kayes")
        let confidence = try XCTUnwrap(results[1]["confidence"]?.doubleValue)
        XCTAssertTrue((0...1).contains(confidence))
    }

    func testGeoJSONHasAFeaturePerNameIncludingFailures() throws {
        let r = try run(["geocode", "--geojson", "Bamako", "Xqztvw", ""])
        XCTAssertEqual(r.status, 1, "some names did not resolve")
        XCTAssertTrue(r.stderr.contains("2 of 3 names not resolved"), r.stderr)
        let collection = try GeoJSONFeatureCollection(json: JSONValue.parse(Data(r.stdout.utf8)))
        XCTAssertEqual(collection.features.count, 3)
        XCTAssertEqual(collection.features[0].geometry, .point(LonLat(lon: -8.0, lat: 12.65)))
        XCTAssertNil(collection.features[1].geometry)
        XCTAssertEqual(collection.features[1].properties["status"], "unresolved")
        XCTAssertEqual(collection.features[2].properties["error"], "empty name")
    }

    func testBatchFromStdinWithRegionColumnAndGarbage() throws {
        let long = String(repeating: "x", count: 10_000)
        let input = "Dioura\tMopti\nKaye\n\n  \nTimbuktu\n\(long)\nBam\u{1}ako\n"
        let r = try run(["geocode", "--json", "--file", "-"], stdin: input)
        XCTAssertEqual(r.status, 1)
        let results = try XCTUnwrap(JSONValue.parse(Data(r.stdout.utf8)).arrayValue)
        XCTAssertEqual(results.map { $0["status"]?.stringValue ?? "" }, ["resolved", "resolved", "resolved", "invalid", "invalid"],
                       "blank lines skipped, every other line answered in order")
        XCTAssertEqual(results[0]["hint"], "region Mopti")
        XCTAssertEqual(results[1]["match"]?["name"], "Kayes")
        XCTAssertEqual(results[1]["match"]?["match_kind"], "fuzzy")
        XCTAssertTrue(results[3]["error"]?.stringValue?.contains("10000 characters") ?? false)
        XCTAssertTrue(results[4]["error"]?.stringValue?.contains("control characters") ?? false)
    }

    func testInvalidUTF8LineInABatchFileIsAPerLineError() throws {
        let file = dataDir.appendingPathComponent("names.txt")
        try Data([0x4B, 0x61, 0x79, 0x65, 0x73, 0x0A, 0x4E, 0x69, 0xFF, 0xFE, 0x6F, 0x0A, 0x53, 0xC3, 0xA9, 0x67, 0x6F, 0x75, 0x0A]).write(to: file)
        let r = try run(["geocode", "--json", "--file", file.path])
        XCTAssertEqual(r.status, 1)
        let results = try XCTUnwrap(JSONValue.parse(Data(r.stdout.utf8)).arrayValue)
        XCTAssertEqual(results.count, 3)
        XCTAssertEqual(results[0]["match"]?["name"], "Kayes")
        XCTAssertEqual(results[1]["status"], "invalid")
        XCTAssertEqual(results[1]["error"], "not valid UTF-8 text")
        XCTAssertTrue(results[1]["query"]?.stringValue?.hasPrefix("line 2") ?? false)
        XCTAssertEqual(results[2]["match"]?["name"], "Ségou")
    }

    func testUsageErrors() throws {
        XCTAssertEqual(try run(["geocode"]).status, 64)
        XCTAssertEqual(try run(["geocode", "--near", "north", "Kayes"]).status, 64)
        XCTAssertEqual(try run(["geocode", "--json", "--geojson", "Kayes"]).status, 64)
        XCTAssertEqual(try run(["geocode", "--no-embedded", "Kayes"]).status, 64)
        let near = try run(["geocode", "--json", "--near", "14.3,-9.8", "--gazetteer", try writeDump().path, "Dioura"])
        XCTAssertEqual(near.status, 0, near.stderr)
        XCTAssertEqual(try JSONValue.parse(Data(near.stdout.utf8)).arrayValue?.first?["match"]?["geonameid"], 2458637)
    }

    func testTextMentionsToAnOutputFile() throws {
        let text = dataDir.appendingPathComponent("report.txt")
        try "Gunmen attacked Kayes and Nioro du Sahel. Safety specialists met in Bamako.\n".write(to: text, atomically: true, encoding: .utf8)
        let out = dataDir.appendingPathComponent("mentions.json")
        let r = try run(["geocode", "--text", text.path, "--json", "--output", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        let mentions = try XCTUnwrap(JSONValue.parse(Data(contentsOf: out)).arrayValue)
        XCTAssertEqual(mentions.compactMap { $0["text"]?.stringValue }, ["Kayes", "Nioro du Sahel", "Bamako"])
        XCTAssertEqual(mentions[1]["line"], 1)
        XCTAssertEqual(mentions[1]["column"], 27)
    }

    func testImportedDumpIsUsedByLaterRuns() throws {
        let dump = try writeDump()
        let imp = try run(["gazetteer", "import", dump.path])
        XCTAssertEqual(imp.status, 0, imp.stderr)
        XCTAssertTrue(imp.stdout.contains("imported 2 places"), imp.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dataDir.appendingPathComponent("gazetteers/ML.rrgaz").path))
        let r = try run(["geocode", "--json", "Dioura"])
        let result = try XCTUnwrap(JSONValue.parse(Data(r.stdout.utf8)).arrayValue?.first)
        XCTAssertEqual(result["ambiguous"], true, "the imported Kayes Dioura now rivals the embedded one")
        let list = try run(["gazetteer", "list"])
        XCTAssertTrue(list.stdout.contains("geonames:ML.txt: 2"), list.stdout)
        XCTAssertTrue(list.stdout.contains("ML.rrgaz"), list.stdout)
        XCTAssertEqual(try run(["gazetteer", "download", "Mali"]).status, 64, "validated before any download")
    }

    func testSeedReportWithTheSharedDump() throws {
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
        let dump = shared.appendingPathComponent("geodata/mali/geonames-ML.txt")
        let report = shared.appendingPathComponent("seed/mali-attacks-report.txt")
        guard FileManager.default.fileExists(atPath: dump.path), FileManager.default.fileExists(atPath: report.path) else {
            throw XCTSkip("../shared is absent")
        }
        let r = try run(["geocode", "--gazetteer", dump.path, "--text", report.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        for name in ["Kayes", "Nioro du Sahel", "Niono", "Molodo", "Sandare", "Gogui", "Diboli", "Diallassago", "Dianweli", "Dioura", "Bamako", "Sikasso"] {
            XCTAssertTrue(r.stdout.contains(" \(name) "), name)
        }
        let caches = try FileManager.default.contentsOfDirectory(atPath: dataDir.appendingPathComponent("cache").path)
        XCTAssertTrue(caches.contains { $0.hasPrefix("geonames-ML-") }, "the dump's cache was written: \(caches)")
    }

    /// Two Diouras in the GeoNames dump layout (GeoNames facts, ids 2458636 and 2458637).
    func writeDump() throws -> URL {
        let url = dataDir.appendingPathComponent("ML.txt")
        let rows = [
            "2458636\tDioura\tDioura\tDioura,Jura\t14.8252\t-5.2547\tP\tPPL\tML\t\t04\t\t\t\t0\t\t272\tAfrica/Bamako\t2021-03-09",
            "2458637\tDioura\tDioura\tDieoura,Dioura,Diéoura,Jura\t14.3\t-9.85\tP\tPPL\tML\t\t03\t\t\t\t0\t\t305\tAfrica/Bamako\t2012-01-18",
        ]
        try (rows.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}

/// The embedded gazetteer's cache, built once per test process and copied into each test's
/// private data folder: without it every test re-indexes 18,146 places (10–20 s in a debug
/// build), with it each run loads the index in milliseconds. Tests stay hermetic: each gets its
/// own copy, and nothing but the embedded gazetteer's cache is shared.
enum PreparedGazetteerCache {
    struct PreparationFailed: Error, CustomStringConvertible {
        var description: String
    }

    static let directory: Result<URL, Error> = Result {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("regionrisk-prepared-cache-\(getpid())")
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let r = try runCLI(["geocode", "Bamako"], environment: ["REGIONRISK_DATA_DIR": root.path])
        let cache = root.appendingPathComponent("cache")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
        guard r.status == 0, files.count == 1 else {
            throw PreparationFailed(description: "preparing the gazetteer cache: exit \(r.status), files \(files): \(r.stderr)")
        }
        return cache
    }

    /// Copies the prepared cache into `dataDir/cache`.
    static func install(into dataDir: URL) throws {
        let source = try directory.get()
        let target = dataDir.appendingPathComponent("cache", isDirectory: true)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: target.appendingPathComponent(name))
        }
    }
}
