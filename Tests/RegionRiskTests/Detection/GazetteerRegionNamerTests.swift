import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskData
@testable import RegionRiskGeoJSON

final class GazetteerRegionNamerTests: XCTestCase {
    /// A box around Kayes and Diboli. With the full GeoNames dump (thousands of population-0
    /// hamlets) the names must still be the towns and the places named in reporting.
    let box = GeoJSONGeometry.polygon([[.init(-12.4, 14.2), .init(-11.2, 14.2), .init(-11.2, 14.7), .init(-12.4, 14.7), .init(-12.4, 14.2)]])

    func testEmbeddedNamesTownsAndReportedPlaces() throws {
        let namer = try GazetteerRegionNamer.embeddedMali()
        let names = namer.placeNames(for: box, limit: 4)
        XCTAssertEqual(names.first, "Kayes")
        XCTAssertTrue(names.contains("Diboli"), "\(names)")
        XCTAssertEqual(namer.admin1Names(for: box), ["Kayes"])
    }

    func testFullDumpDoesNotLetHamletsDisplaceTowns() throws {
        let dump = try SharedData.url("geodata/mali/geonames-ML.txt")
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("rr-namer-\(UUID())")
        defer { try? FileManager.default.removeItem(at: cache) }
        let embedded = try Gazetteer.embeddedMali()
        let full = embedded.adding(try Gazetteer.load(geonamesDump: dump, cacheDirectory: cache))
        let namer = GazetteerRegionNamer(adminRegions: nil, gazetteer: full, notable: try Gazetteer.notableMaliPlaceIDs())
        let names = namer.placeNames(for: box, limit: 4)
        XCTAssertEqual(names.first, "Kayes")
        XCTAssertTrue(names.contains("Diboli"), "\(names)")
        // Nothing inside: one nearby place, not a list of towns elsewhere.
        let empty = GeoJSONGeometry.polygon([[.init(-4.0, 22.0), .init(-3.99, 22.0), .init(-3.99, 22.01), .init(-4.0, 22.01), .init(-4.0, 22.0)]])
        XCTAssertEqual(namer.placeNames(for: empty, limit: 4).count, 1)
    }
}
