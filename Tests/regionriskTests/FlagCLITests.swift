import Foundation
import XCTest

final class FlagCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-flag-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A steady scatter over central Mali for a year, and a cluster near Kayes that appears only
    /// in the last two 30-day steps: emerging hot spot analysis must call the west an emerging
    /// hot spot, with ArcGIS Pro's category names.
    func testEmergingHotSpotsFindTheNewWesternCluster() throws {
        var rows = ["event_id,event_date,latitude,longitude"]
        var state: UInt64 = 7
        func unit() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let end = Calendar(identifier: .gregorian).date(from: DateComponents(year: 2025, month: 7, day: 8))!
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        func day(_ daysBefore: Int) -> String { formatter.string(from: end.addingTimeInterval(Double(-daysBefore) * 86400)) }
        for k in 0..<600 {
            rows.append("b\(k),\(day(Int(unit() * 360))),\(13.5 + unit() * 3),\(-6 + unit() * 4)")
        }
        for k in 0..<60 {
            rows.append("k\(k),\(day(Int(unit() * 58))),\(14.45 + (unit() - 0.5) * 0.3),\(-11.44 + (unit() - 0.5) * 0.3)")
        }
        let input = dir.appendingPathComponent("events.csv")
        try rows.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("ehsa.geojson")
        let r = try runCLI(["flag", "--method", "ehsa", "--events", input.path, "--as-of", "2025-07-08", "--steps", "12",
                            "--step-days", "30", "--cell-km", "10", "--bandwidth-km", "40", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as! [String: Any]
        let features = (json["features"] as! [[String: Any]]).map { $0["properties"] as! [String: Any] }
        let known = ["new hot spot", "consecutive hot spot", "intensifying hot spot", "persistent hot spot", "diminishing hot spot",
                     "sporadic hot spot", "oscillating hot spot", "historical hot spot", "new cold spot", "consecutive cold spot",
                     "intensifying cold spot", "persistent cold spot", "diminishing cold spot", "sporadic cold spot",
                     "oscillating cold spot", "historical cold spot"]
        for f in features { XCTAssertTrue(known.contains(f["category"] as! String), "\(f["category"]!)") }
        let west = features.filter { ($0["places"] as? String ?? "").contains("Kayes") }
        XCTAssertFalse(west.isEmpty, "no region near Kayes: \(features.map { $0["places"]! })")
        XCTAssertTrue(west.contains { ["new hot spot", "consecutive hot spot", "intensifying hot spot"].contains($0["category"] as! String) },
                      "\(west.map { $0["category"]! })")
        try assertOpensInGDALWithValidGeometries(out)
        XCTAssertEqual(try runCLI(["flag", "--method", "ehsa", "--events", input.path, "--steps", "5", "--out", out.path]).status, 64, "--steps 5 is outside 10…1000: a usage error")
    }
}

final class OtherAreaCLITests: XCTestCase {
    /// Any area works the same way: a square "country" on the equator with two regions.
    func testFlagOnAnotherAreaNamesItsRegions() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-area-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let area = dir.appendingPathComponent("area.geojson"), regions = dir.appendingPathComponent("regions.geojson")
        try #"{"type":"Feature","properties":{"name":"Squareland"},"geometry":{"type":"Polygon","coordinates":[[[10,0],[14,0],[14,4],[10,4],[10,0]]]}}"#
            .write(to: area, atomically: true, encoding: .utf8)
        try #"""
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"West"},"geometry":{"type":"Polygon","coordinates":[[[10,0],[12,0],[12,4],[10,4],[10,0]]]}},
            {"type":"Feature","properties":{"name":"East"},"geometry":{"type":"Polygon","coordinates":[[[12,0],[14,0],[14,4],[12,4],[12,0]]]}}]}
            """#.write(to: regions, atomically: true, encoding: .utf8)
        let events = dir.appendingPathComponent("events.csv")
        try "event_id,event_date,latitude,longitude\na,2025-07-01,2.0,13.0\nb,2025-07-03,2.05,13.1\n".write(to: events, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("regions-out.geojson")
        let r = try runCLI(["flag", "--events", events.path, "--area", area.path, "--regions", regions.path, "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as! [String: Any]
        let props = (json["features"] as! [[String: Any]]).map { $0["properties"] as! [String: Any] }
        XCTAssertEqual(props.count, 1)
        XCTAssertEqual(props.first?["category"] as? String, "new")
        XCTAssertEqual(props.first?["admin1"] as? String, "East")
        XCTAssertNil(props.first?["admin1_list"], "one region: no list")
        XCTAssertTrue(r.stderr.contains("Squareland"), r.stderr)
    }
}

/// `--crs` reaches the grid and is recorded; a CRS that is not equal-area is refused.
final class FlagCRSCLITests: XCTestCase {
    func testCRSIsRecordedOrRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-crs-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("regions.geojson")
        let crs = "+proj=aea +lat_1=11 +lat_2=24 +lat_0=17 +lon_0=-4 +datum=WGS84 +units=m +type=crs"
        let ok = try runCLI(["flag", "--as-of", "2025-07-08", "--crs", crs, "--out", out.path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        let recorded = json?["crs"] as? [String: Any]
        XCTAssertEqual(recorded?["definition"] as? String, crs)
        XCTAssertEqual(recorded?["name"] as? String, "Albers Equal Area")
        let mercator = try runCLI(["flag", "--as-of", "2025-07-08", "--crs", "EPSG:3857", "--out", out.path])
        XCTAssertEqual(mercator.status, 64, mercator.stderr)
        XCTAssertTrue(mercator.stderr.contains("not equal-area"), mercator.stderr)
    }
}
