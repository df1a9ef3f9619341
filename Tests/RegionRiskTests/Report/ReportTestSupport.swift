import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskGeoJSON
@testable import RegionRiskReport

/// A parsed XML element: what the report tests inspect.
final class XNode {
    let name: String
    let attributes: [String: String]
    var text = ""
    var children: [XNode] = []
    weak var parent: XNode?

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// All descendants (depth first, self included).
    var all: [XNode] { [self] + children.flatMap(\.all) }
    /// Text of this element and its descendants.
    var fullText: String { text + children.map(\.fullText).joined() }
    subscript(_ key: String) -> String? { attributes[key] }
    func double(_ key: String) -> Double? { attributes[key].flatMap(Double.init) }
    func first(id: String) -> XNode? { all.first { $0["id"] == id } }
    func elements(_ name: String) -> [XNode] { all.filter { $0.name == name } }
    func elements(class cls: String) -> [XNode] {
        all.filter { ($0["class"] ?? "").split(separator: " ").contains(Substring(cls)) }
    }
}

/// Parses XML with Foundation's XMLParser; fails the test with the parser's message and line.
final class XTreeBuilder: NSObject, XMLParserDelegate {
    var root: XNode?
    private var stack: [XNode] = []

    static func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> XNode {
        let parser = XMLParser(data: Data(text.utf8))
        let builder = XTreeBuilder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let e = parser.parserError.map { "\($0)" } ?? "unknown"
            XCTFail("not well-formed XML at line \(parser.lineNumber), column \(parser.columnNumber): \(e)", file: file, line: line)
            throw XCTSkip("unparseable")
        }
        return root
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let node = XNode(name: name, attributes: attributes)
        if let top = stack.last { top.children.append(node); node.parent = top } else { root = node }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }
}

/// Absolute coordinates of SVG path data made of M, L, Z and implicit line-tos (what SVGMap writes).
func pathPoints(_ d: String) -> [(x: Double, y: Double)] {
    var numbers: [Double] = []
    var current = ""
    for ch in d {
        if ch.isNumber || ch == "." || (ch == "-" && current.isEmpty) {
            current.append(ch)
        } else {
            if let v = Double(current) { numbers.append(v) }
            current = ch == "-" ? "-" : ""
        }
    }
    if let v = Double(current) { numbers.append(v) }
    XCTAssertEqual(numbers.count % 2, 0, "odd number of coordinates in path data")
    return stride(from: 0, to: numbers.count - 1, by: 2).map { (numbers[$0], numbers[$0 + 1]) }
}

/// Pixel bounding box of path data.
func pathBox(_ d: String) -> (minX: Double, minY: Double, maxX: Double, maxY: Double) {
    let ps = pathPoints(d)
    return (ps.map(\.x).min() ?? .nan, ps.map(\.y).min() ?? .nan, ps.map(\.x).max() ?? .nan, ps.map(\.y).max() ?? .nan)
}

/// Hand-made documents for the report tests.
enum ReportSamples {
    static func square(_ west: Double, _ south: Double, _ east: Double, _ north: Double) -> [LonLat] {
        [.init(west, south), .init(east, south), .init(east, north), .init(west, north), .init(west, south)]
    }

    /// A 4° × 4° "country" in western Mali's latitudes, two regions, two density classes (the
    /// lower one with a hole where the upper one is), three flagged regions (one too small to see).
    static func small(asOf: CivilDate = CivilDate(year: 2025, month: 7, day: 8)!) -> ReportDocument {
        let outline = GeoJSONGeometry.polygon([square(-12, 12, -8, 16)])
        return ReportDocument(
            title: "RegionRisk report", areaName: "Testland", asOf: asOf, generatedAt: "2025-07-08T06:00:00Z",
            windows: AnalysisWindows(asOf: asOf, recentDays: 30, baselineDays: 365),
            outline: outline,
            regionBorders: [
                NamedGeometry(name: "West", geometry: .polygon([square(-12, 12, -10, 16)])),
                NamedGeometry(name: "East", geometry: .polygon([square(-10, 12, -8, 16)])),
            ],
            densityClasses: [
                DensityClassLayer(
                    label: "0.001–0.01 events/km²", lowerBound: 0.001, upperBound: 0.01,
                    geometry: .polygon([square(-11, 13, -9, 15), square(-10.5, 13.5, -9.5, 14.5).reversed()])),
                DensityClassLayer(
                    label: "≥ 0.01 events/km²", lowerBound: 0.01, upperBound: .infinity,
                    geometry: .multiPolygon([[square(-10.5, 13.5, -9.5, 14.5)]])),
            ],
            flaggedRegions: [
                FlaggedRegionSummary(
                    id: "R1", category: .new, significant: true, pValue: 0.0004, qValue: 0.003, recentEvents: 4,
                    baselineEvents: 0, recentFatalities: 12, places: ["Kayes", "Diboli"], admin1: ["Kayes"],
                    summary: "New activity around Kayes and Diboli (Kayes region): 4 events in the last 30 days, none in the 365 days before",
                    geometry: .polygon([square(-11.8, 14.2, -11.2, 14.8)])),
                FlaggedRegionSummary(
                    id: "R2", category: .new, significant: false, pValue: 0.09, qValue: 0.2, recentEvents: 1,
                    baselineEvents: 0, recentFatalities: 0, places: ["Nioro du Sahel"], admin1: ["Kayes"],
                    summary: "New activity around Nioro du Sahel (Kayes region): 1 event in the last 30 days, none before",
                    // About 1 px across at this scale: drawn with a ring marker.
                    geometry: .polygon([square(-9.02, 15.2, -9.0, 15.22)])),
                FlaggedRegionSummary(
                    id: "R3", category: .persistent, significant: false, pValue: 0.6, qValue: 0.8, recentEvents: 3,
                    baselineEvents: 30, recentFatalities: 5, places: ["Diafarabé", "Dioura"], admin1: ["Mopti", "Ségou"],
                    summary: "Continued activity around Diafarabé and Dioura",
                    geometry: .polygon([square(-10.3, 13.7, -9.7, 14.3)])),
            ],
            incidents: [
                ReportIncident(location: LonLat(-11.5, 14.5), isRecent: true),
                ReportIncident(location: LonLat(-10, 14), isRecent: false),
            ],
            admin1Rows: [
                Admin1Row(name: "Kayes", recentEvents: 5, baselineEvents: 0, recentFatalities: 12, baselineFatalities: 0,
                          rateRatio: nil, score: 3.4, rank: 1),
                Admin1Row(name: "Mopti", recentEvents: 3, baselineEvents: 30, recentFatalities: 5, baselineFatalities: 80,
                          rateRatio: 1.2166, score: 1.25, rank: 2),
                Admin1Row(name: "Kidal", recentEvents: 0, baselineEvents: 0, recentFatalities: 0, baselineFatalities: 0,
                          rateRatio: nil, score: 0, rank: 3),
            ],
            changesSinceLastRun: RunChanges(
                previousAsOf: CivilDate(year: 2025, month: 7, day: 1), new: ["Kayes, Diboli", "Nioro du Sahel"],
                continuing: ["Diafarabé, Dioura"], ended: []),
            notes: ["3 events known only to their region were excluded from the test."],
            parameters: [ReportParameter("bandwidth_km", "25"), ReportParameter("alpha", "0.05")],
            sources: [ReportSource(title: "ACLED", url: "https://acleddata.com/")])
    }
}
