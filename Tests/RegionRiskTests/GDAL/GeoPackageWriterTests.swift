import Foundation
import RegionRiskBase
import RegionRiskGDAL
import RegionRiskGeoJSON
import XCTest

/// `GeoPackageBuilder`: layers listed in the order they were declared whatever order they are
/// written in, each with its R-tree, and points stored at the precision of the GeoJSON route.
final class GeoPackageWriterTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-gpkg-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    static let square = VectorFileTests.square
    static let points = [LonLat(lon: -7.123456789012, lat: 12.98765432109), LonLat(lon: -11.4444444449, lat: 14.4499999951),
                         LonLat(lon: 4.25, lat: 19.0000000501)]

    private func ogrinfo(_ arguments: [String]) throws -> String {
        guard let tool = VectorFileTests.which("ogrinfo") else { throw XCTSkip("ogrinfo (gdal-bin) is not installed") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return String(decoding: out, as: UTF8.self)
    }

    func testLayersAreListedInDeclaredOrderWhateverOrderTheyAreWrittenIn() throws {
        let builder = try GeoPackageBuilder()
        try builder.declare("regions", geometry: .polygons)
        try builder.declare("density", geometry: .polygons)
        let events = Self.points.enumerated().map { n, p in GeoJSONFeature(geometry: .point(p), properties: ["n": .number(Double(n))]) }
        try builder.write(VectorLayer(name: "events", features: events, geometry: .points))
        try builder.write(VectorLayer(name: "density", features: [GeoJSONFeature(geometry: Self.square, properties: ["class": 1])]))
        try builder.write(VectorLayer(name: "regions", features: [GeoJSONFeature(geometry: Self.square, properties: ["name": "Kayes", "events": 3])]))
        let url = dir.appendingPathComponent("t.gpkg")
        try AtomicFile.write(try builder.finish(), to: url)

        // GDAL's first layer is the first declared, with the fields it was given after the others.
        let first = try VectorFile.readFirstLayer(url)
        XCTAssertEqual(first.layerName, "regions")
        XCTAssertEqual(first.fields.map(\.name), ["name", "events"])
        XCTAssertEqual(first.collection.features.first?.properties["name"], .string("Kayes"))

        let listing = try ogrinfo(["-ro", "-q", url.path])
        for (n, layer) in ["regions (Multi Polygon)", "density (Multi Polygon)", "events (Point)"].enumerated() {
            XCTAssertTrue(listing.contains("\(n + 1): \(layer)"), listing)
        }
        let rtrees = try ogrinfo(["-ro", "-q", "-sql", "SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index' ORDER BY table_name", url.path])
        for name in ["density", "events", "regions"] { XCTAssertTrue(rtrees.contains("table_name (String) = \(name)"), rtrees) }
        // The events' R-tree holds every point, and finds one by its box.
        let boxes = try ogrinfo(["-ro", "-q", "-sql", "SELECT (SELECT COUNT(*) FROM rtree_events_geom) AS n, (SELECT COUNT(*) FROM rtree_events_geom WHERE minx <= 4.25 AND maxx >= 4.25 AND miny <= 19.0000001 AND maxy >= 19) AS found", url.path])
        let lines = boxes.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(lines.contains { $0.hasPrefix("n (") && $0.hasSuffix(" = 3") }, boxes)
        XCTAssertTrue(lines.contains { $0.hasPrefix("found (") && $0.hasSuffix(" = 1") }, boxes)
    }

    func testPointsAreStoredAtSevenDecimalsExactlyAsTheTextRouteRoundsThem() throws {
        let events = Self.points.map { GeoJSONFeature(geometry: .point($0), properties: ["kind": "event"]) }
        let url = dir.appendingPathComponent("p.gpkg")
        try AtomicFile.write(try GeoPackageWriter.data(layers: [VectorLayer(name: "events", features: events)]), to: url)
        let back = try VectorFile.readFirstLayer(url).collection.features.compactMap { f -> LonLat? in
            if case let .point(p) = f.geometry { return p }
            return nil
        }
        XCTAssertEqual(back.count, Self.points.count)
        for (got, sent) in zip(back, Self.points) {
            // Rounded to 1e-7° as GeoJSON output is, and no further.
            XCTAssertEqual(got.lon, (sent.lon * 1e7).rounded() / 1e7, accuracy: 1e-12)
            XCTAssertEqual(got.lat, (sent.lat * 1e7).rounded() / 1e7, accuracy: 1e-12)
            if (sent.lon * 1e7).rounded() / 1e7 != sent.lon { XCTAssertNotEqual(got.lon, sent.lon, "rounded, not the full value") }
        }
    }

    func testALayerIsDeclaredAndWrittenOnceAndNothingIsWrittenAfterFinishing() throws {
        let builder = try GeoPackageBuilder()
        try builder.declare("a", geometry: .points)
        XCTAssertThrowsError(try builder.declare("a", geometry: .points)) { XCTAssertTrue("\($0)".contains("declared twice"), "\($0)") }
        try builder.write(VectorLayer(name: "a", features: []))
        XCTAssertThrowsError(try builder.write(VectorLayer(name: "a", features: []))) { XCTAssertTrue("\($0)".contains("written twice"), "\($0)") }
        let bytes = try builder.finish()
        XCTAssertEqual(bytes.prefix(15), Data("SQLite format 3".utf8))
        XCTAssertThrowsError(try builder.write(VectorLayer(name: "b", features: []))) { XCTAssertTrue("\($0)".contains("finished"), "\($0)") }
        XCTAssertThrowsError(try builder.finish())
    }

    func testANonFinitePointIsAnErrorNamingTheLayerAndFeature() throws {
        let events = [GeoJSONFeature(geometry: .point(LonLat(lon: -7, lat: 12)), properties: [:]),
                      GeoJSONFeature(geometry: .point(LonLat(lon: .nan, lat: 12)), properties: [:])]
        XCTAssertThrowsError(try GeoPackageWriter.data(layers: [VectorLayer(name: "events", features: events)])) { e in
            XCTAssertTrue("\(e)".contains("events") && "\(e)".contains("feature 1"), "\(e)")
        }
    }
}
