import Foundation
import RegionRiskBase
import RegionRiskGDAL
import RegionRiskGeoJSON
import RegionRiskGrid
import XCTest

final class VectorFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-gdal-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    static let square: GeoJSONGeometry = .polygon([[LonLat(lon: -8, lat: 12), LonLat(lon: -7.5, lat: 12), LonLat(lon: -7.5, lat: 12.5),
                                                   LonLat(lon: -8, lat: 12.5), LonLat(lon: -8, lat: 12)]])

    func testAGeoPackageReadsBackWithTheSameFieldsValuesAndGeometry() throws {
        let features = [
            GeoJSONFeature(geometry: Self.square, properties: [
                "name": "Kayes", "events": 3, "score": 0.25, "significant": true, "list": ["a", "b"], "note": nil,
            ]),
            GeoJSONFeature(geometry: .multiPolygon([Self.square.polygons[0]]), properties: [
                "name": "Mopti", "events": 12, "score": 1.5, "significant": false, "list": ["c"], "note": "x",
            ]),
        ]
        let url = dir.appendingPathComponent("t.gpkg")
        try AtomicFile.write(try GeoPackageWriter.data(layers: [VectorLayer(name: "regions", features: features)]), to: url)
        let layer = try VectorFile.readFirstLayer(url)
        XCTAssertEqual(layer.layerName, "regions")
        XCTAssertEqual(layer.fields.map(\.name), ["name", "events", "score", "significant", "list", "note"])
        XCTAssertEqual(layer.fields.map(\.isText), [true, false, false, false, true, true])
        let props = layer.collection.features.map(\.properties)
        XCTAssertEqual(props.map { $0["name"] }, [.string("Kayes"), .string("Mopti")])
        XCTAssertEqual(props.map { $0["events"] }, [.number(3), .number(12)])
        XCTAssertEqual(props.map { $0["score"] }, [.number(0.25), .number(1.5)])
        XCTAssertEqual(props.map { $0["significant"] }, [.number(1), .number(0)])
        XCTAssertEqual(props.map { $0["list"] }, [.string(#"["a","b"]"#), .string(#"["c"]"#)])
        XCTAssertEqual(props.map { $0["note"] }, [.null, .string("x")])
        for f in layer.collection.features {
            XCTAssertEqual(f.geometry?.polygons.count, 1)
            let got = try XCTUnwrap(f.geometry?.polygons.first?.first)
            XCTAssertEqual(Set(got.map { "\($0.lon),\($0.lat)" }), Set(Self.square.polygons[0][0].map { "\($0.lon),\($0.lat)" }))
        }
    }

    func testALayerInAnotherCRSIsReprojectedToLonLat() throws {
        guard let ogr2ogr = Self.which("ogr2ogr") else { throw XCTSkip("ogr2ogr (gdal-bin) is not installed") }
        let source = dir.appendingPathComponent("area.geojson")
        try AtomicFile.write(GeoJSONFeatureCollection(features: [GeoJSONFeature(geometry: Self.square, properties: ["NAME": "Sq"])]).serialized(),
                             to: source)
        let shp = dir.appendingPathComponent("area.shp")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ogr2ogr)
        p.arguments = ["-f", "ESRI Shapefile", "-t_srs", "EPSG:32629", shp.path, source.path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let layer = try VectorFile.readFirstLayer(shp)
        XCTAssertTrue(layer.crsName?.contains("UTM zone 29N") ?? false, layer.crsName ?? "no CRS")
        let ring = try XCTUnwrap(layer.collection.features.first?.geometry?.polygons.first?.first)
        XCTAssertEqual(ring.count, 5)
        for q in ring {
            // Every corner comes back within 1e-7° (1 cm) of one of the square's.
            XCTAssertTrue(Self.square.polygons[0][0].contains { abs($0.lon - q.lon) < 1e-7 && abs($0.lat - q.lat) < 1e-7 }, "\(q)")
        }
        // The area of interest reads the Shapefile the same way: 0.5° × 0.5° at 12° N.
        let area = try AreaOfInterest.load(from: shp)
        XCTAssertEqual(area.name, "Sq")
        let expectedKm2 = try AreaOfInterest.load(from: source).areaKm2
        XCTAssertEqual(area.areaKm2, expectedKm2, accuracy: expectedKm2 * 1e-6)
    }

    func testAFileGDALCannotReadIsNamedWithGDALsReason() throws {
        let url = dir.appendingPathComponent("not-vector.shp")
        try AtomicFile.write("garbage", to: url)
        XCTAssertThrowsError(try VectorFile.readFirstLayer(url)) { e in
            let message = e.localizedDescription
            XCTAssertTrue(message.hasPrefix(url.path + ": cannot open with GDAL: "), message)
            XCTAssertGreaterThan(message.count, url.path.count + 30, "GDAL's reason is included: \(message)")
        }
        XCTAssertThrowsError(try AreaOfInterest.load(from: dir.appendingPathComponent("missing.gpkg"))) { e in
            XCTAssertTrue(e.localizedDescription.contains("missing.gpkg"), e.localizedDescription)
        }
    }

    static func which(_ tool: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
