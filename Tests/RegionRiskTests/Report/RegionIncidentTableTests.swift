import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGeoJSON
@testable import RegionRiskReport

/// Each flagged region's own incidents, as a table in the HTML and Markdown reports.
final class RegionIncidentTableTests: XCTestCase {
    func document() -> ReportDocument {
        var doc = ReportSamples.small()
        doc.flaggedRegions[0].incidents = [
            RegionIncidentRow(eventID: "MLI-20250701-1", date: CivilDate(year: 2025, month: 7, day: 1), place: "Kayes", fatalities: 80,
                              sourceURL: "https://example.org/kayes?a=1&b=2", sourceTitle: "Attacks in <Kayes>"),
            RegionIncidentRow(eventID: "x|y", date: nil, place: "Diboli | border", fatalities: nil, sourceURL: "javascript:alert(1)",
                              sourceTitle: nil),
        ]
        return doc
    }

    func testHTMLListsEachRegionsIncidentsWithEscapedTextAndOnlyWebLinks() throws {
        let html = HTMLReport.render(document())
        XCTAssertNoThrow(try XMLDocument(data: Data(html.utf8)), "still well-formed XML")
        XCTAssertTrue(html.contains("<section id=\"incidents\">"))
        XCTAssertTrue(html.contains("<td class=\"num\">2025-07-01</td><td>Kayes</td><td>MLI-20250701-1</td><td class=\"num\">80</td>"), html)
        XCTAssertTrue(html.contains("<a href=\"https://example.org/kayes?a=1&amp;b=2\" rel=\"noopener noreferrer\">Attacks in &lt;Kayes&gt;</a>"))
        XCTAssertFalse(html.contains("href=\"javascript:"))
        XCTAssertTrue(html.contains("<td class=\"num\">–</td><td>Diboli | border</td>"), "unknown date and fatalities print as –")
        // A region without incidents (the sample's others) gets no table of its own.
        XCTAssertEqual(html.components(separatedBy: "<h3 id=\"region-").count - 1, 1)
    }

    func testMarkdownTableRowsCannotBeBrokenByThePlaceText() {
        let md = MarkdownReport.render(document())
        XCTAssertTrue(md.contains("## Incidents by region"))
        XCTAssertTrue(md.contains("| 2025-07-01 | Kayes | MLI-20250701-1 | 80 | [Attacks in \\<Kayes\\>](<https://example.org/kayes?a=1&b=2>) |"), md)
        XCTAssertTrue(md.contains("| – | Diboli \\| border | x\\|y | – | javascript:alert(1) |"), md)
    }

    func testIncidentsRoundTripThroughTheRegionsFile() throws {
        let feature = try GeoJSONFeature(json: JSONValue.parse(Data(#"""
            {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},
             "properties":{"category":"new","incidents":[
               {"event_id":"a","date":"2025-07-01","place":"Gogui","fatalities":3,"source_url":"https://x.org","source_title":"T"},
               {"event_id":"b","date":"not a date","fatalities":-1},
               {"no_id":true}]}}
            """#.utf8)))
        let r = try FlaggedRegionSummary(feature: feature, fallbackID: "1")
        XCTAssertEqual(r.incidents, [
            RegionIncidentRow(eventID: "a", date: CivilDate(year: 2025, month: 7, day: 1), place: "Gogui", fatalities: 3,
                              sourceURL: "https://x.org", sourceTitle: "T"),
            RegionIncidentRow(eventID: "b", date: nil, place: nil, fatalities: nil, sourceURL: nil, sourceTitle: nil),
        ])
    }
}
