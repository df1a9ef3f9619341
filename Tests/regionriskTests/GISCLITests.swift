import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// GDAL in and out, as an analyst uses it: Shapefile and GeoPackage boundaries in, GeoTIFF and
/// GeoPackage out, a report folder QGIS and kepler.gl open without edits.
final class GISCLITests: XCTestCase {
    var dir: URL!
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let maliBoundary = root.appendingPathComponent("Geodata/mali/boundary.geojson")
    static let ochaAdmin1 = root.deletingLastPathComponent().appendingPathComponent("shared/geodata/mali/ocha-adm1.geojson")

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-gis-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// `ogr2ogr` output of `source` in `format`, reprojected to `crs` when given.
    func convert(_ source: URL, to name: String, format: String, crs: String? = nil) throws -> URL {
        guard let ogr2ogr = which("ogr2ogr") else { throw XCTSkip("ogr2ogr (gdal-bin) is not installed") }
        let out = dir.appendingPathComponent(name)
        let log = try runTool(ogr2ogr, ["-f", format] + (crs.map { ["-t_srs", $0] } ?? []) + [out.path, source.path], includeStderr: true)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.path), log)
        return out
    }

    func testFlagReadsTheAreaFromAShapefileInAnotherCRS() throws {
        // The embedded outline as a Shapefile in UTM 30N (metres): read through OGR, reprojected.
        let shp = try convert(Self.maliBoundary, to: "adm0.shp", format: "ESRI Shapefile", crs: "EPSG:32630")
        let fromShapefile = dir.appendingPathComponent("shp.geojson"), embedded = dir.appendingPathComponent("embedded.geojson")
        let a = try runCLI(["flag", "--area", shp.path, "--as-of", "2025-07-08", "--out", fromShapefile.path])
        XCTAssertEqual(a.status, 0, a.stderr)
        let b = try runCLI(["flag", "--as-of", "2025-07-08", "--out", embedded.path])
        XCTAssertEqual(b.status, 0, b.stderr)
        // Same area (to the reprojection's rounding): the log states its km², and the same episodes are flagged.
        func km2(_ log: String) -> Double? {
            guard let r = log.range(of: #"\), ([0-9]+) km²"#, options: .regularExpression) else { return nil }
            return Double(log[r].dropFirst(3).prefix { $0.isNumber })
        }
        let shpKm2 = try XCTUnwrap(km2(a.stderr), a.stderr), embeddedKm2 = try XCTUnwrap(km2(b.stderr), b.stderr)
        XCTAssertEqual(shpKm2, embeddedKm2, accuracy: embeddedKm2 * 1e-4)
        func ids(_ url: URL) throws -> [String] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
            return (json?["features"] as? [[String: Any]] ?? []).compactMap { ($0["properties"] as? [String: Any])?["places"] as? String }
        }
        XCTAssertEqual(try ids(fromShapefile), try ids(embedded))
        XCTAssertFalse(try ids(embedded).isEmpty)
    }

    func testRegionsFromAGeoPackageAreNamedByTheOCHAFieldOrTheOneChosen() throws {
        guard FileManager.default.fileExists(atPath: Self.ochaAdmin1.path) else { throw XCTSkip("../shared is absent") }
        let gpkg = try convert(Self.ochaAdmin1, to: "adm1.gpkg", format: "GPKG")
        let out = dir.appendingPathComponent("regions.geojson")
        // admin1Name is a known name field: no option needed.
        let r = try runCLI(["flag", "--regions", gpkg.path, "--as-of", "2025-07-08", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(text.contains("\"admin1\":\"Kayes\""), "regions named from admin1Name")
        XCTAssertFalse(text.contains("region 3"))
        // A field that does not exist: the message lists the file's fields.
        let bad = try runCLI(["flag", "--regions", gpkg.path, "--regions-name-field", "NAME_1", "--out", out.path])
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("no field NAME_1") && bad.stderr.contains("admin1Name") && bad.stderr.contains("admin1Pcod"), bad.stderr)
        // The P-code as the name, chosen.
        let pcode = try runCLI(["flag", "--regions", gpkg.path, "--regions-name-field", "admin1Pcod", "--as-of", "2025-07-08", "--out", out.path])
        XCTAssertEqual(pcode.status, 0, pcode.stderr)
        XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).contains("\"admin1\":\"ML01\""))
    }

    func testRegionsWithoutANameFieldAreRefusedWithTheCandidatesListed() throws {
        let regions = dir.appendingPathComponent("r.geojson")
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ADM1_PT":"Kayes","pop":3},"geometry":{"type":"Polygon","coordinates":[[[-12,12],[-9,12],[-9,15],[-12,15],[-12,12]]]}}]}"#
            .write(to: regions, atomically: true, encoding: .utf8)
        let r = try runCLI(["flag", "--regions", regions.path, "--out", dir.appendingPathComponent("o.geojson").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("r.geojson") && r.stderr.contains("ADM1_PT") && r.stderr.contains("--regions-name-field"), r.stderr)
        XCTAssertFalse(r.stderr.contains("pop,") || r.stderr.contains(", pop"), "only text fields are candidates: \(r.stderr)")
    }

    func testDensityAsGeoTIFFHasTheCRSNodataAndTheValuesOfTheASCIIGrid() throws {
        guard let gdalinfo = which("gdalinfo"), let locationinfo = which("gdallocationinfo") else { throw XCTSkip("gdal-bin is not installed") }
        let tif = dir.appendingPathComponent("d.tif"), asc = dir.appendingPathComponent("d.asc")
        for (format, out) in [("tif", tif), ("asc", asc)] {
            let r = try runCLI(["density", "--cell-km", "25", "--format", format, "--out", out.path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let info = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(runTool(gdalinfo, ["-json", tif.path]).utf8)) as? [String: Any])
        XCTAssertEqual(info["driverShortName"] as? String, "GTiff")
        let wkt = try XCTUnwrap((info["coordinateSystem"] as? [String: Any])?["wkt"] as? String)
        XCTAssertTrue(wkt.contains("Lambert Azimuthal Equal Area") || wkt.contains("Lambert_Azimuthal_Equal_Area"), wkt)
        let band = try XCTUnwrap((info["bands"] as? [[String: Any]])?.first)
        XCTAssertEqual(band["noDataValue"] as? Double, -9999)
        XCTAssertEqual(band["type"] as? String, "Float64")
        XCTAssertEqual(band["unit"] as? String, "events per 1,000 km²")
        let structure = (info["metadata"] as? [String: Any])?["IMAGE_STRUCTURE"] as? [String: Any]
        XCTAssertEqual(structure?["LAYOUT"] as? String, "COG", "Cloud-Optimized")
        // Every cell equals the ASCII grid's (an independent writer of the same grid).
        let lines = try String(contentsOf: asc, encoding: .utf8).split(separator: "\n")
        let rows = lines.dropFirst(6).map { $0.split(separator: " ").map { Double($0)! } }
        let size = try XCTUnwrap(info["size"] as? [Int])
        XCTAssertEqual(size, [rows[0].count, rows.count])
        var checked = 0
        for r in stride(from: 0, to: rows.count, by: max(1, rows.count / 6)) {
            for c in stride(from: 0, to: rows[r].count, by: max(1, rows[r].count / 6)) {
                let v = Double(try runTool(locationinfo, ["-valonly", tif.path, "\(c)", "\(r)"]).trimmingCharacters(in: .whitespacesAndNewlines))
                XCTAssertEqual(try XCTUnwrap(v), rows[r][c], accuracy: abs(rows[r][c]) * 1e-12, "cell \(c),\(r)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 20)
    }

    func testReportFolderHasAStyledGeoPackageAndMapReadyFields() throws {
        guard let ogrinfo = which("ogrinfo") else { throw XCTSkip("ogrinfo (gdal-bin) is not installed") }
        let out = dir.appendingPathComponent("reports")
        let r = try runCLI(["report", "--as-of", "2025-07-08", "--out", out.path])
        XCTAssertTrue(r.status == 0 || r.status == 3, r.stderr)
        let folder = out.appendingPathComponent("latest")
        let gpkg = folder.appendingPathComponent("report.gpkg")
        let layers = try runTool(ogrinfo, ["-ro", "-q", gpkg.path], includeStderr: true)
        // Listed in the map's drawing order, although the events layer is written first.
        let listed = ["regions (Multi Polygon)", "density (Multi Polygon)", "admin1 (Multi Polygon)", "events (Point)", "layer_styles"]
        for (n, layer) in listed.enumerated() {
            XCTAssertTrue(layers.contains("\(n + 1): \(layer)"), "\(n + 1): \(layer) in: \(layers)")
        }
        // Every map layer has its R-tree, the events' holding every event.
        let rtrees = try runTool(ogrinfo, ["-ro", "-q", "-sql", "SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'", gpkg.path], includeStderr: true)
        for name in ["regions", "density", "admin1", "events"] { XCTAssertTrue(rtrees.contains("table_name (String) = \(name)"), rtrees) }
        let counts = try runTool(ogrinfo, ["-ro", "-q", "-sql", "SELECT (SELECT COUNT(*) FROM rtree_events_geom) AS indexed, (SELECT COUNT(*) FROM events) AS total", gpkg.path], includeStderr: true)
        let values = counts.split(separator: "\n").filter { $0.contains(") = ") }
            .compactMap { $0.split(separator: "=").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        XCTAssertEqual(values.count, 2, counts)
        XCTAssertEqual(values.first, values.last, counts)
        XCTAssertGreaterThan(values.first ?? 0, 0, counts)
        let regions = try runTool(ogrinfo, ["-ro", "-al", "-so", gpkg.path, "regions"], includeStderr: true)
        for field in ["admin1: String", "start: String", "end: String", "category: String", "recent_events: Integer64"] {
            XCTAssertTrue(regions.contains(field), "\(field) in \(regions)")
        }
        // Each layer's QGIS style is beside it and in the GeoPackage, and the manifest lists them.
        for name in ["regions", "density", "admin1", "events"] {
            let qml = folder.appendingPathComponent("\(name).qml")
            let doc = try XMLDocument(contentsOf: qml)
            XCTAssertEqual(doc.rootElement()?.name, "qgis")
            XCTAssertFalse(try doc.nodes(forXPath: "//renderer-v2").isEmpty)
        }
        let densityStyle = try String(contentsOf: folder.appendingPathComponent("density.qml"), encoding: .utf8)
        let densityJSON = try String(contentsOf: folder.appendingPathComponent("density.geojson"), encoding: .utf8)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        // The style's colours are the map's: every fill of the GeoJSON is in the style and the HTML.
        let fills = Set(densityJSON.components(separatedBy: "\"fill\":\"").dropFirst().map { String($0.prefix(7)) })
        XCTAssertFalse(fills.isEmpty)
        for hex in fills {
            XCTAssertTrue(html.contains("fill=\"\(hex)\""), hex)
            let v = Array(hex.dropFirst())
            let rgb = stride(from: 0, to: 6, by: 2).map { String(Int(String(v[$0..<($0 + 2)]), radix: 16)!) }.joined(separator: ",")
            XCTAssertTrue(densityStyle.contains("value=\"\(rgb),217\""), "\(hex) = \(rgb) in density.qml")
        }
        XCTAssertTrue(densityJSON.contains("events per 1,000 km²"))
        XCTAssertFalse(densityJSON.contains("events/km²"))
        // The query QGIS runs to find a layer's default style.
        let styles = try runTool(ogrinfo, ["-ro", "-q", "-sql", "SELECT f_table_name, styleQML FROM layer_styles WHERE f_geometry_column = 'geom' AND useAsDefault ORDER BY update_time DESC", gpkg.path], includeStderr: true)
        for name in ["regions", "density", "admin1", "events"] { XCTAssertTrue(styles.contains("f_table_name (String) = \(name)"), styles) }
        XCTAssertTrue(styles.contains("styleQML (String) = <!DOCTYPE qgis"), String(styles.prefix(500)))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as? [String: Any]
        let files = try XCTUnwrap(manifest?["files"] as? [String])
        for f in ["report.gpkg", "regions.qml", "density.qml", "admin1.qml", "events.qml"] { XCTAssertTrue(files.contains(f), f) }
        // Regions: ISO datetimes with a time part and a plain-string admin1.
        let fc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("regions.geojson"))) as? [String: Any])
        let features = try XCTUnwrap(fc["features"] as? [[String: Any]])
        XCTAssertFalse(features.isEmpty)
        let iso = try NSRegularExpression(pattern: #"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#)
        for f in features {
            let p = try XCTUnwrap(f["properties"] as? [String: Any])
            for key in ["start", "end"] {
                let s = try XCTUnwrap(p[key] as? String, key)
                XCTAssertEqual(iso.numberOfMatches(in: s, range: NSRange(s.startIndex..., in: s)), 1, s)
            }
            XCTAssertEqual(p["start"] as? String, (p["first_recent_event"] as? String).map { $0 + "T00:00:00Z" })
            XCTAssertLessThan(p["last_event"] as! String, p["end"] as! String, "end is exclusive: the day after the last event")
            XCTAssertLessThan(p["start"] as! String, p["end"] as! String)
            let admin1 = try XCTUnwrap(p["admin1"] as? String)
            if let list = p["admin1_list"] as? [String] {
                XCTAssertGreaterThan(list.count, 1)
                XCTAssertEqual(list.joined(separator: ", "), admin1)
            }
        }
        // Events in the GeoPackage carry their day as start/end too.
        let events = try runTool(ogrinfo, ["-ro", "-q", "-sql", "SELECT start, \"end\", date FROM events LIMIT 1", gpkg.path], includeStderr: true)
        XCTAssertTrue(events.range(of: #"start \(String\) = \d{4}-\d{2}-\d{2}T00:00:00Z"#, options: .regularExpression) != nil, events)
    }

    func testFixedBreaksAndUnitsAreChosenAndChecked() throws {
        let out = dir.appendingPathComponent("d.geojson")
        let r = try runCLI(["density", "--cell-km", "25", "--breaks", "0.05,0.1,0.2", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(text.contains("\"label\":\"0.05–0.1 events per 1,000 km²\"") || text.contains("\"label\":\"≥ 0.2 events per 1,000 km²\""), text.prefix(2000).description)
        let perKm2 = try runCLI(["density", "--cell-km", "25", "--density-unit", "per-km2", "--format", "csv", "--out", "-"])
        XCTAssertEqual(perKm2.status, 0, perKm2.stderr)
        XCTAssertTrue(perKm2.stdout.hasPrefix("lon,lat,density_per_km2\n"))
        let per1000 = try runCLI(["density", "--cell-km", "25", "--format", "csv", "--out", "-"])
        let a = perKm2.stdout.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[2])! }
        let b = per1000.stdout.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[2])! }
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) { XCTAssertEqual(x * 1000, y, accuracy: max(abs(y) * 1e-12, 1e-300)) }
        XCTAssertEqual(try runCLI(["density", "--breaks", "2,1"]).status, 64)
        XCTAssertEqual(try runCLI(["density", "--density-unit", "per-acre"]).status, 64)
    }

    func testFlagWritesAGeoPackage() throws {
        guard let ogrinfo = which("ogrinfo") else { throw XCTSkip("ogrinfo (gdal-bin) is not installed") }
        let out = dir.appendingPathComponent("flags.gpkg")
        let r = try runCLI(["flag", "--as-of", "2025-07-08", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let summary = try runTool(ogrinfo, ["-ro", "-al", "-so", out.path], includeStderr: true)
        XCTAssertTrue(summary.contains("Layer name: regions") && summary.contains("Geometry: Multi Polygon"), summary)
        XCTAssertFalse(summary.contains("Warning") || summary.contains("ERROR"), summary)
        XCTAssertTrue(summary.contains("Feature Count: 9"), summary)
    }
}
