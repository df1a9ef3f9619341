import XCTest
@testable import RegionRiskData

final class GazetteerCacheTests: XCTestCase {
    func copyOfSyntheticDump(in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent("ML.txt")
        try FileManager.default.copyItem(at: Fixtures.url("gazetteer/in/synthetic-ML.txt"), to: url)
        return url
    }

    func testCacheIsWrittenThenReadAndGivesTheSameAnswers() throws {
        let dir = temporaryDirectory()
        let dump = try copyOfSyntheticDump(in: dir)
        let cache = dir.appendingPathComponent("cache")
        let first = try Gazetteer.load(geonamesDump: dump, cacheDirectory: cache)
        guard case let .created(path) = first.cacheStatus else { return XCTFail("\(first.cacheStatus)") }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        let second = try Gazetteer.load(geonamesDump: dump, cacheDirectory: cache)
        XCTAssertEqual(second.cacheStatus, .loaded(path: path))
        XCTAssertEqual(second.places, first.places)
        // The same places read afresh, given their regions and cercles as loading does.
        let fresh = Gazetteer(places: try Gazetteer.readDerivingAdmin(dump))
        for q in ["Dioura", "Tombouctou", "Koro", "Diallassago", "Séou", "Ntossoni", "Xqztvw"] {
            XCTAssertEqual(try second.geocode(q), try fresh.geocode(q), q)
        }
        XCTAssertEqual(second.mentions(inText: "Attacks hit Kayes and Nioro du Sahel."),
                       fresh.mentions(inText: "Attacks hit Kayes and Nioro du Sahel."))
    }

    func testAChangedDumpIsReadAgain() throws {
        let dir = temporaryDirectory()
        let dump = try copyOfSyntheticDump(in: dir)
        let cache = dir.appendingPathComponent("cache")
        _ = try Gazetteer.load(geonamesDump: dump, cacheDirectory: cache)
        var text = try String(contentsOf: dump, encoding: .utf8)
        text += "9000099\tNewtown\tNewtown\t\t14.0\t-4.0\tP\tPPL\tML\t\t04\t\t\t\t0\t\t\t\t2025-01-01\n"
        try text.write(to: dump, atomically: true, encoding: .utf8)
        let again = try Gazetteer.load(geonamesDump: dump, cacheDirectory: cache)
        guard case .created = again.cacheStatus else { return XCTFail("stale cache used: \(again.cacheStatus)") }
        XCTAssertEqual(try again.geocode("Newtown").best?.place.geonameID, 9000099)
    }

    func testDamagedCacheIsRebuiltNotTrusted() throws {
        let dir = temporaryDirectory()
        let dump = try copyOfSyntheticDump(in: dir)
        let cache = dir.appendingPathComponent("cache")
        let first = try Gazetteer.load(geonamesDump: dump, cacheDirectory: cache)
        guard case let .created(path) = first.cacheStatus else { return XCTFail() }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Truncated, and with the index's last words overwritten (out-of-range key indices).
        for damaged in [bytes.prefix(bytes.count / 2), bytes.prefix(bytes.count - 12) + Data(repeating: 0xFF, count: 8) + bytes.suffix(4)] {
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            let reloaded = try Gazetteer.load(geonamesDump: dump, cacheDirectory: cache)
            XCTAssertEqual(reloaded.cacheStatus, .created(path: path))
            XCTAssertEqual(try reloaded.geocode("Dioura, Mopti").best?.place.geonameID, 9000001)
        }
        XCTAssertThrowsError(try Gazetteer.loadImported(URL(fileURLWithPath: path + ".absent")))
    }

    func testUnwritableCacheDirectoryStillLoads() throws {
        let dir = temporaryDirectory()
        let dump = try copyOfSyntheticDump(in: dir)
        // A file where the cache folder should be.
        let blocker = dir.appendingPathComponent("cache")
        try Data().write(to: blocker)
        let g = try Gazetteer.load(geonamesDump: dump, cacheDirectory: blocker)
        guard case .unwritable = g.cacheStatus else { return XCTFail("\(g.cacheStatus)") }
        XCTAssertEqual(g.places.count, 29)
    }

    func testImportedGazetteersJoinTheStandardOne() throws {
        let dir = temporaryDirectory()
        let dump = try copyOfSyntheticDump(in: dir)
        let store = dir.appendingPathComponent("gazetteers")
        let embeddedCount = try Gazetteer.embeddedMali().places.count
        XCTAssertEqual(try Gazetteer.standard(importedIn: store).places.count, embeddedCount, "nothing imported yet")
        let (imported, file) = try Gazetteer.importDump(dump, into: store)
        XCTAssertEqual(file.lastPathComponent, "ML.rrgaz")
        XCTAssertEqual(imported.places.count, 29)
        XCTAssertEqual(Gazetteer.importedFiles(in: store), [file])
        let standard = try Gazetteer.standard(importedIn: store)
        // The synthetic places have ids of their own (9000001…): all 29 are added.
        XCTAssertEqual(standard.places.count, embeddedCount + 29)
        XCTAssertEqual(try standard.geocode("Testville").best?.place.geonameID, 9000015)
        try Data("not a gazetteer".utf8).write(to: file)
        XCTAssertThrowsError(try Gazetteer.standard(importedIn: store)) { error in
            XCTAssertTrue(error.localizedDescription.contains("ML.rrgaz"), error.localizedDescription)
        }
    }
}

/// The cache's key fingerprint: a cache made by a build that folded names differently is not
/// trusted, whether or not the format version was bumped.
final class GazetteerCacheKeyFingerprintTests: XCTestCase {
    func testFingerprintFollowsTheKeys() {
        XCTAssertEqual(GazetteerCache.keyFingerprint(), GazetteerCache.currentKeyFingerprint)
        // A normaliser that, say, stopped folding one letter gives another fingerprint.
        let changed = GazetteerCache.keyFingerprint { name in
            GazetteerCache.indexedKeys(name).map { $0.replacingOccurrences(of: "ny", with: "ñ") }
        }
        XCTAssertNotEqual(changed, GazetteerCache.currentKeyFingerprint)
        XCTAssertNotEqual(GazetteerCache.keyFingerprint { [$0] }, GazetteerCache.currentKeyFingerprint)
    }

    func testACacheWithAnotherFingerprintIsRebuiltAndAnImportRejected() throws {
        let dir = temporaryDirectory()
        let dump = dir.appendingPathComponent("ML.txt")
        try FileManager.default.copyItem(at: Fixtures.url("gazetteer/in/synthetic-ML.txt"), to: dump)
        let cache = dir.appendingPathComponent("cache")
        guard case let .created(path) = try Gazetteer.load(geonamesDump: dump, cacheDirectory: cache).cacheStatus else {
            return XCTFail("no cache written")
        }
        // Header: 8 bytes magic, 4 version, 4 byte-order word, then the 8-byte key fingerprint.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(bytes.subdata(in: 16..<24).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) },
                       GazetteerCache.currentKeyFingerprint.littleEndian)
        bytes[16] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try Gazetteer.load(geonamesDump: dump, cacheDirectory: cache).cacheStatus, .created(path: path))
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Gazetteer.loadImported(URL(fileURLWithPath: path))) { error in
            XCTAssertTrue(error.localizedDescription.contains("import the GeoNames dump again"), error.localizedDescription)
        }
    }
}
