import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGeoJSON

final class GeoJSONTests: XCTestCase {
    func testRoundTripKeepsForeignMembersAndOrder() throws {
        let text = #"{"type":"FeatureCollection","name":"x","features":[{"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[-11.444481234,14.44693]},"properties":{"b":1,"a":"Kayes"},"extra":true}]}"#
        let fc = try GeoJSONFeatureCollection(json: JSONValue.parse(Data(text.utf8)))
        XCTAssertEqual(fc.foreignMembers.first?.0, "name")
        XCTAssertEqual(fc.features[0].foreignMembers.first?.0, "extra")
        let out = fc.serialized()
        // Six decimals at most, properties in their original order.
        XCTAssertTrue(out.contains("[-11.444481,14.44693]"), out)
        XCTAssertTrue(out.contains(#""properties":{"b":1,"a":"Kayes"}"#), out)
        let back = try GeoJSONFeatureCollection(json: JSONValue.parse(Data(out.utf8)))
        XCTAssertEqual(back.features[0].properties, fc.features[0].properties)
        XCTAssertEqual(back.foreignMembers.first?.1, .string("x"))
    }

    func testPolygonWindingFollowsRFC7946() throws {
        // Clockwise exterior in, counter-clockwise out.
        let cw: [LonLat] = [.init(0, 0), .init(0, 1), .init(1, 1), .init(1, 0), .init(0, 0)]
        let fixed = GeoJSONGeometry.polygon([cw]).withRFC7946Winding()
        guard case let .polygon(rings) = fixed else { return XCTFail() }
        XCTAssertGreaterThan(GeoJSONGeometry.signedArea(rings[0]), 0)
    }

    func testRejectsOutOfRangePositionWithMessage() {
        let text = #"{"type":"Point","coordinates":[200,10]}"#
        XCTAssertThrowsError(try GeoJSONFeatureCollection(json: JSONValue.parse(Data(text.utf8)))) { e in
            XCTAssertTrue("\(e.localizedDescription)".contains("outside"), e.localizedDescription)
        }
    }

    func testInvalidJSONNamesTheLine() {
        XCTAssertThrowsError(try JSONValue.parse(Data("{\n\"a\": [1,\n}".utf8))) { e in
            XCTAssertTrue(e.localizedDescription.contains("line 3"), e.localizedDescription)
        }
    }

    /// The geojson fuzz target's crash (Tests/Fuzz/geojson/corpus/json-lone-high-surrogate.json):
    /// a high surrogate escape followed by an escape that is not a low surrogate underflowed and
    /// trapped. Unpaired halves read as U+FFFD; a following escape is read on its own.
    func testUnpairedSurrogateEscapesReadAsReplacementCharacters() throws {
        let cases: [(String, String)] = [
            (#"["\ud9dd\ud9dd"]"#, "\u{FFFD}\u{FFFD}"),
            (#"["\ud9dd\u0041"]"#, "\u{FFFD}A"),
            (#"["\udc00x"]"#, "\u{FFFD}x"),
            (#"["\ud83d\ude00"]"#, "\u{1F600}"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try JSONValue.parse(Data(text.utf8)), .array([.string(expected)]), text)
        }
        // The fuzzer's input itself: an error naming what is wrong, not a trap.
        XCTAssertThrowsError(try JSONValue.parse(Data(#"{"d\ud9dd\ud9dddddd\ud995,.4e}"#.utf8)))
    }
}
