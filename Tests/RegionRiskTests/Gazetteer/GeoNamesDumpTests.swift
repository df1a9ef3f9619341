import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData

final class GeoNamesDumpTests: XCTestCase {
    func testReadsTheNineteenColumns() throws {
        let places = try GeoNamesDump.read(Fixtures.url("gazetteer/in/synthetic-ML.txt"))
        XCTAssertEqual(places.count, 29)
        let timbuktu = try XCTUnwrap(places.first { $0.geonameID == 9000006 })
        XCTAssertEqual(timbuktu.name, "Timbuktu")
        XCTAssertEqual(timbuktu.alternateNames, ["Tombouctou", "Tumbutu"])
        XCTAssertEqual(timbuktu.location, LonLat(lon: -3.00742, lat: 16.77348))
        XCTAssertEqual(timbuktu.featureClass, "P")
        XCTAssertEqual(timbuktu.featureCode, "PPLA")
        XCTAssertEqual(timbuktu.admin1Code, "08")
        XCTAssertEqual(timbuktu.admin1Name, "Tombouctou", "Mali's GeoNames admin-1 table")
        XCTAssertEqual(timbuktu.population, 54453)
        XCTAssertEqual(timbuktu.source, "geonames:synthetic-ML.txt")
        // Another country: the region's name comes from the dump's own ADM1 row.
        XCTAssertEqual(places.first { $0.geonameID == 9000015 }?.admin1Name, "Testville")
    }

    func testMalformedRowsNameFileAndLine() throws {
        let dir = temporaryDirectory()
        let good = try String(contentsOf: Fixtures.url("gazetteer/in/synthetic-ML.txt"), encoding: .utf8)
        let lines = good.split(separator: "\n").map(String.init)
        func expectError(_ body: String, line: Int, containing text: String, file: StaticString = #filePath, fileLine: UInt = #line) {
            let url = dir.appendingPathComponent("bad.txt")
            try? Data(body.utf8).write(to: url)
            XCTAssertThrowsError(try GeoNamesDump.read(url), file: file, line: fileLine) { error in
                guard case let GazetteerError.malformedRow(path, l, _) = error else { return XCTFail("\(error)", file: file, line: fileLine) }
                XCTAssertEqual(path, url.path, file: file, line: fileLine)
                XCTAssertEqual(l, line, file: file, line: fileLine)
                XCTAssertTrue(error.localizedDescription.contains(text), error.localizedDescription, file: file, line: fileLine)
            }
        }
        expectError(lines[0] + "\n" + lines[1].split(separator: "\t", omittingEmptySubsequences: false).dropLast().joined(separator: "\t") + "\n", line: 2, containing: "18 columns")
        expectError(lines[0].replacingOccurrences(of: "14.8252", with: "north") + "\n", line: 1, containing: "latitude 'north'")
        expectError(lines[0].replacingOccurrences(of: "14.8252", with: "94.8") + "\n", line: 1, containing: "out of range")
        // Invalid UTF-8 in a name.
        let url = dir.appendingPathComponent("bad-utf8.txt")
        var bytes = Array((lines[0] + "\n").utf8)
        bytes[8] = 0xFF
        try Data(bytes).write(to: url)
        XCTAssertThrowsError(try GeoNamesDump.read(url)) { error in
            XCTAssertEqual(error as? GazetteerError, .malformedRow(path: url.path, line: 1, reason: "name is not valid UTF-8"))
        }
    }

    func testEmptyAndMissingFilesAreErrors() throws {
        let dir = temporaryDirectory()
        let empty = dir.appendingPathComponent("empty.txt")
        try Data("# only a comment\n\n".utf8).write(to: empty)
        XCTAssertThrowsError(try GeoNamesDump.read(empty)) { XCTAssertEqual($0 as? GazetteerError, .empty(path: empty.path)) }
        XCTAssertThrowsError(try GeoNamesDump.read(dir.appendingPathComponent("absent.txt"))) { error in
            guard case GazetteerError.unreadable = error else { return XCTFail("\(error)") }
        }
    }

    func testCRLFLineEndingsAreRead() throws {
        let text = try String(contentsOf: Fixtures.url("gazetteer/in/synthetic-ML.txt"), encoding: .utf8)
        let crlf = Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let places = try GeoNamesDump.parse(crlf, path: "crlf.txt", source: "test")
        XCTAssertEqual(places.count, 29)
        XCTAssertEqual(places.last?.name, "Mopti")
    }
}
