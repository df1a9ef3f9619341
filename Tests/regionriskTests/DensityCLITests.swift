import Foundation
import XCTest

final class DensityCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-density-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testEmbeddedSampleToGeoJSONClasses() throws {
        let out = dir.appendingPathComponent("density.geojson")
        let r = try runCLI(["density", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as! [String: Any]
        let features = json["features"] as! [[String: Any]]
        XCTAssertFalse(features.isEmpty)
        XCTAssertEqual((json["parameters"] as! [String: Any])["kernel"] as? String, "quartic")
        XCTAssertTrue(r.stderr.contains("77 events"), r.stderr)
        try assertOpensInGDALWithValidGeometries(out)
    }

    func testCSVAndASCIIGridFormats() throws {
        let csv = dir.appendingPathComponent("d.csv")
        XCTAssertEqual(try runCLI(["density", "--format", "csv", "--cell-km", "20", "--out", csv.path]).status, 0)
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "lon,lat,density_per_1000km2")
        // 20 km cells over Mali's 1.25M km²: about 3,100 cells inside.
        XCTAssertEqual(Double(lines.count - 1), 1_250_249 / 400, accuracy: 100)
        let asc = dir.appendingPathComponent("d.asc")
        XCTAssertEqual(try runCLI(["density", "--format", "asc", "--cell-km", "20", "--out", asc.path]).status, 0)
        let header = try String(contentsOf: asc, encoding: .utf8).split(separator: "\n").prefix(6).map(String.init)
        // Mali spans about 1,770 km east–west in its LAEA: 89 columns of 20 km, edges on multiples of 20 km.
        XCTAssertEqual(header[0], "ncols 89")
        XCTAssertEqual(header[4], "cellsize 20000.0")
        XCTAssertTrue(header[5].hasPrefix("NODATA_value"))
        let prj = try String(contentsOf: dir.appendingPathComponent("d.prj"), encoding: .utf8)
        XCTAssertTrue(prj.contains("Lambert_Azimuthal_Equal_Area"), prj)
        if let gdalinfo = which("gdalinfo") {
            let info = try runTool(gdalinfo, [asc.path])
            XCTAssertTrue(info.contains("Lambert"), info)
        }
    }

    func testBadRowsAreReportedWithFileLineAndColumnAndGoodRowsStillUsed() throws {
        let input = dir.appendingPathComponent("events.csv")
        try """
            event_id,event_date,latitude,longitude,fatalities
            a,2025-07-01,14.44693,-11.44448,3
            b,2025-07-01,abc,-11.4,1
            c,2025-02-30,14.4,-11.4,1
            d,2025-07-01,14.4,-11.4,-2
            e,2025-07-01,95,-11.4,1

            """.write(to: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("d.geojson")
        let rejects = dir.appendingPathComponent("rejects.csv")
        let r = try runCLI(["density", "--events", input.path, "--out", out.path, "--rejects", rejects.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("events.csv:3"), r.stderr)
        XCTAssertTrue(r.stderr.contains("latitude"), r.stderr)
        XCTAssertTrue(r.stderr.contains("events.csv:4"), r.stderr)
        XCTAssertTrue(r.stderr.contains("4 rows rejected"), r.stderr)
        let rejected = try String(contentsOf: rejects, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rejected.count, 5)  // header + 4
    }

    func testUnreadableInputFailsWithTheFileNamedAndWritesNothing() throws {
        let out = dir.appendingPathComponent("d.geojson")
        let r = try runCLI(["density", "--events", dir.appendingPathComponent("missing.csv").path, "--out", out.path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("missing.csv"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testUsageErrorsExit64() throws {
        XCTAssertEqual(try runCLI(["density", "--cell-km", "-1"]).status, 64)
        XCTAssertEqual(try runCLI(["density", "--kernel", "cosine"]).status, 64)
    }
}

/// Opens a GeoJSON file with GDAL, as QGIS would, and checks that it reads without warnings and
/// that every geometry is valid. Skips when GDAL is not installed.
func assertOpensInGDALWithValidGeometries(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws {
    guard let ogrinfo = which("ogrinfo") else { throw XCTSkip("ogrinfo (gdal-bin) is not installed") }
    let summary = try runTool(ogrinfo, ["-ro", "-al", "-so", url.path], includeStderr: true)
    XCTAssertFalse(summary.contains("Warning") || summary.contains("ERROR"), summary, file: file, line: line)
    let layer = url.deletingPathExtension().lastPathComponent
    let validity = try runTool(ogrinfo, ["-ro", "-q", "-dialect", "sqlite", "-sql",
                                     "SELECT COUNT(*) AS n, SUM(ST_IsValid(geometry)) AS valid FROM \"\(layer)\"", url.path],
                           includeStderr: true)
    let n = validity.components(separatedBy: "n (Integer) = ").dropFirst().first?.prefix { $0.isNumber }
    let valid = validity.components(separatedBy: "valid (Integer) = ").dropFirst().first?.prefix { $0.isNumber }
    XCTAssertNotNil(n, validity, file: file, line: line)
    XCTAssertEqual(n, valid, "invalid geometries in \(url.lastPathComponent): \(validity)", file: file, line: line)
}

func which(_ tool: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let path = "\(dir)/\(tool)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

func runTool(_ tool: String, _ arguments: [String], includeStderr: Bool = false) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = includeStderr ? out : FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
