import Foundation
import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGeoJSON
@testable import RegionRiskReport

final class ReportModelTests: XCTestCase {
    func testFlaggedRegionIsReadFromTheDetectionOutputsProperties() throws {
        let text = #"""
            {"type":"FeatureCollection","features":[
            {"type":"Feature","id":"R1","geometry":{"type":"Polygon","coordinates":[[[-11.8,14.2],[-11.2,14.2],[-11.2,14.8],[-11.8,14.8],[-11.8,14.2]]]},
             "properties":{"category":"new","significant":true,"p_value":0.0004,"q_value":0.003,"recent_events":4,"baseline_events":0,
              "recent_fatalities":12,"places":["Kayes","Diboli"],"admin1":"Kayes","summary":"New activity around Kayes and Diboli"}},
            {"type":"Feature","id":7,"geometry":{"type":"MultiPolygon","coordinates":[[[[-9,15],[-8.9,15],[-8.9,15.1],[-9,15]]]]},
             "properties":{"category":"intensifying hot spot","places":"Nioro du Sahel, Gogui","p_value":null}}
            ]}
            """#
        let fc = try GeoJSONFeatureCollection(json: JSONValue.parse(Data(text.utf8)))
        let a = try FlaggedRegionSummary(feature: fc.features[0], fallbackID: "1")
        XCTAssertEqual(a, FlaggedRegionSummary(
            id: "R1", category: .new, significant: true, pValue: 0.0004, qValue: 0.003, recentEvents: 4, baselineEvents: 0,
            recentFatalities: 12, places: ["Kayes", "Diboli"], admin1: ["Kayes"], summary: "New activity around Kayes and Diboli",
            geometry: fc.features[0].geometry!))
        let b = try FlaggedRegionSummary(feature: fc.features[1], fallbackID: "2")
        XCTAssertEqual(b.id, "7")
        XCTAssertEqual(b.category.rawValue, "intensifying hot spot")
        XCTAssertFalse(b.significant)
        XCTAssertNil(b.pValue)
        XCTAssertEqual(b.places, ["Nioro du Sahel", "Gogui"])
        XCTAssertEqual(b.label(), "Nioro du Sahel, Gogui")
    }

    func testMissingCategoryOrBadNumbersAreReportedWithTheFeature() throws {
        let square: GeoJSONGeometry = .polygon([ReportSamples.square(0, 0, 1, 1)])
        XCTAssertThrowsError(try FlaggedRegionSummary(feature: GeoJSONFeature(geometry: square, properties: ["significant": true]), fallbackID: "3")) {
            XCTAssertEqual($0.localizedDescription, "regions.geojson, feature 3: no \"category\" property (expected e.g. \"new\" or \"persistent\")")
        }
        XCTAssertThrowsError(try FlaggedRegionSummary(feature: GeoJSONFeature(geometry: square, properties: ["category": "new", "q_value": 1.5]), fallbackID: "4")) {
            XCTAssertTrue($0.localizedDescription.contains("\"q_value\" must be a probability"), $0.localizedDescription)
        }
        XCTAssertThrowsError(try FlaggedRegionSummary(feature: GeoJSONFeature(geometry: .point(LonLat(0, 0)), properties: ["category": "new"]), fallbackID: "5")) {
            XCTAssertTrue($0.localizedDescription.contains("Polygon or MultiPolygon"), $0.localizedDescription)
        }
    }

    func testCategoriesSortStandardFirst() {
        let sorted = [FlagCategory("sporadic hot spot"), .cooling, .new, FlagCategory("new hot spot"), .persistent].sorted()
        XCTAssertEqual(sorted.map(\.rawValue), ["new", "persistent", "cooling", "new hot spot", "sporadic hot spot"])
        // Other categories never take a default-mode category's colour.
        let standard = Set(FlagCategory.standard.map(MapStyle.colour))
        XCTAssertEqual(standard.count, 4)
        for name in ["new hot spot", "consecutive hot spot", "intensifying hot spot", "sporadic cold spot", "oscillating hot spot"] {
            XCTAssertFalse(standard.contains(MapStyle.colour(FlagCategory(name))), name)
        }
    }
}
