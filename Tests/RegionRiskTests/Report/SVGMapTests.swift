import Foundation
import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskReport

final class SVGMapTests: XCTestCase {
    func testMapIsWellFormedXMLWithOnePathPerLayerAndLegend() throws {
        let doc = ReportSamples.small()
        let svg = try XTreeBuilder.parse(SVGMap.render(doc, width: 900, height: 720))
        XCTAssertEqual(svg.name, "svg")
        XCTAssertEqual(svg["viewBox"], "0 0 900 720")

        XCTAssertNotNil(svg.first(id: "outline")?["d"])
        XCTAssertNotNil(svg.first(id: "outline-fill")?["d"])
        let density = svg.elements(class: "density-class")
        XCTAssertEqual(density.map { $0["data-class"] }, ["0", "1"])
        XCTAssertEqual(density.map { $0.fullText }, doc.densityClasses.map(\.label), "each class path carries its label as a tooltip")
        XCTAssertEqual(svg.elements(class: "region-border").map { $0["data-name"] }, ["West", "East"])
        let flags = svg.elements(class: "flagged-region")
        XCTAssertEqual(flags.map { $0["data-id"] }, ["R1", "R2", "R3"])
        XCTAssertEqual(flags.map { $0["data-category"] }, ["new", "new", "persistent"])
        for f in flags { XCTAssertEqual(f.elements("path").count, 1, "flag \(f["data-id"]!) has its outline") }
        XCTAssertEqual(svg.elements(class: "incident").count, 2)

        // Legend: every density class, every standard category, significant and not.
        let legend = try XCTUnwrap(svg.first(id: "legend"))
        let entries = legend.elements("text").map(\.fullText)
        for label in doc.densityClasses.map(\.label) { XCTAssertTrue(entries.contains(label), "legend lacks \(label): \(entries)") }
        for c in ["(new)", "(escalating)", "(persistent)", "(cooling)"] {
            XCTAssertTrue(entries.contains { $0.hasSuffix(c) }, "legend lacks \(c): \(entries)")
        }
        XCTAssertTrue(entries.contains("Significant (FDR-corrected)"))
        XCTAssertTrue(entries.contains("Not (yet) significant"))
        XCTAssertTrue(entries.contains("As of 2025-07-08"))
        XCTAssertTrue(try XCTUnwrap(svg.first(id: "as-of")).fullText.contains("2025-07-08"))
        XCTAssertNotNil(svg.first(id: "scale-bar"))
        XCTAssertNotNil(svg.first(id: "north-arrow"))

        // Labels: each flagged region by its places, each region by its name.
        XCTAssertEqual(svg.elements(class: "flag-label").map(\.fullText), ["Kayes, Diboli", "Nioro du Sahel", "Diafarabé, Dioura"])
        XCTAssertEqual(Set(svg.elements(class: "region-label").map(\.fullText)), ["West", "East"])
    }

    func testNotSignificantFlagsAreDashedAndSignificantOnesSolid() throws {
        let svg = try XTreeBuilder.parse(SVGMap.render(ReportSamples.small()))
        for f in svg.elements(class: "flagged-region") {
            let significant = f["data-significant"] == "true"
            for shape in f.all where shape.name == "path" || shape.name == "circle" {
                XCTAssertEqual(shape["stroke-dasharray"] == nil, significant, "flag \(f["data-id"]!)")
            }
        }
        // The one-pixel region R2 gets a ring marker so it can be seen.
        let r2 = try XCTUnwrap(svg.elements(class: "flagged-region").first { $0["data-id"] == "R2" })
        XCTAssertEqual(r2.elements("circle").count, 1)
    }

    func testEveryCoordinateAndLabelLiesInsideTheViewBox() throws {
        for (w, h) in [(900, 720), (640, 480), (420, 300)] {
            let svg = try XTreeBuilder.parse(SVGMap.render(ReportSamples.small(), width: w, height: h))
            let W = Double(w), H = Double(h)
            for p in svg.elements("path") {
                for q in pathPoints(p["d"] ?? "") {
                    XCTAssertTrue((0...W).contains(q.x) && (0...H).contains(q.y), "\(w)×\(h): (\(q.x), \(q.y)) outside")
                }
            }
            for c in svg.elements("circle") where c.parent?.parent?["id"] != "legend" {
                XCTAssertTrue((0...W).contains(c.double("cx")!) && (0...H).contains(c.double("cy")!))
            }
            // Map labels: the start and the baseline on the canvas, and a conservative end
            // (0.5 em per character, narrower than any real face) too.
            for t in svg.elements(class: "flag-label") + svg.elements(class: "region-label") {
                let x = t.double("x")!, y = t.double("y")!, fs = t.double("font-size")!
                XCTAssertGreaterThanOrEqual(x, 0, t.fullText)
                XCTAssertGreaterThanOrEqual(y - fs, 0, t.fullText)
                XCTAssertLessThanOrEqual(y, H, t.fullText)
                XCTAssertLessThanOrEqual(x + 0.5 * fs * Double(t.fullText.count), W, "\(w)×\(h): \(t.fullText) runs off the right edge")
            }
        }
    }

    func testProjectionKeepsRelativePositionsAndAspectAtMidLatitude() throws {
        // Independent reference: with x = lon·cos(φm) and y = −lat, a point's position relative
        // to the outline's pixel box is its position relative to the outline's degree box.
        let doc = ReportSamples.small()
        let svg = try XTreeBuilder.parse(SVGMap.render(doc))
        let o = pathBox(try XCTUnwrap(svg.first(id: "outline")?["d"]))
        let (west, south, east, north) = (-12.0, 12.0, -8.0, 16.0)
        let cosMid = cos(14.0 * .pi / 180)
        XCTAssertEqual((o.maxX - o.minX) / (o.maxY - o.minY), (east - west) * cosMid / (north - south), accuracy: 0.002)

        let r1 = try XCTUnwrap(svg.elements(class: "flagged-region").first { $0["data-id"] == "R1" }?.elements("path").first?["d"])
        let b = pathBox(r1)
        XCTAssertEqual((b.minX - o.minX) / (o.maxX - o.minX), (-11.8 - west) / (east - west), accuracy: 0.001)
        XCTAssertEqual((b.maxX - o.minX) / (o.maxX - o.minX), (-11.2 - west) / (east - west), accuracy: 0.001)
        // y is flipped: north is up.
        XCTAssertEqual((b.minY - o.minY) / (o.maxY - o.minY), (north - 14.8) / (north - south), accuracy: 0.001)
        XCTAssertEqual((b.maxY - o.minY) / (o.maxY - o.minY), (north - 14.2) / (north - south), accuracy: 0.001)

        let incident = try XCTUnwrap(svg.elements(class: "recent").first)
        XCTAssertEqual((incident.double("cx")! - o.minX) / (o.maxX - o.minX), (-11.5 - west) / (east - west), accuracy: 0.001)
        XCTAssertEqual((incident.double("cy")! - o.minY) / (o.maxY - o.minY), (north - 14.5) / (north - south), accuracy: 0.001)
    }

    func testScaleBarIsTrueAtTheMapsLatitude() throws {
        // At 60° N a degree of longitude is half a degree of latitude: 2° × 1° box.
        // Reference: arc length along the 60° parallel, R·cos 60°·Δλ, R = 6371.0088 km.
        for (south, north, west, east) in [(59.5, 60.5, 0.0, 2.0), (-0.5, 0.5, 30.0, 31.0), (14.0, 16.0, -12.0, -8.0)] {
            var doc = ReportSamples.small()
            doc.outline = .polygon([ReportSamples.square(west, south, east, north)])
            doc.regionBorders = []; doc.densityClasses = []; doc.flaggedRegions = []; doc.incidents = []
            let svg = try XTreeBuilder.parse(SVGMap.render(doc))
            let o = pathBox(try XCTUnwrap(svg.first(id: "outline")?["d"]))
            let mid = (south + north) / 2 * .pi / 180
            let R = 6371.0088
            let eastWestKm = R * cos(mid) * (east - west) * .pi / 180
            let northSouthKm = R * (north - south) * .pi / 180
            let kmPerPxX = eastWestKm / (o.maxX - o.minX)
            let kmPerPxY = northSouthKm / (o.maxY - o.minY)
            XCTAssertEqual(kmPerPxX / kmPerPxY, 1, accuracy: 0.002, "east-west and north-south scale agree at mid-latitude")

            let bar = try XCTUnwrap(svg.first(id: "scale-bar"))
            let km = try XCTUnwrap(bar.double("data-km"))
            let segments = bar.elements(class: "scale-bar-segment")
            XCTAssertEqual(segments.count, 2)
            let px = segments.map { $0.double("width")! }.reduce(0, +)
            XCTAssertEqual(km / px, kmPerPxX, accuracy: kmPerPxX * 0.003, "bar of \(px) px labelled \(km) km at \(mid * 180 / .pi)°")
            XCTAssertTrue(bar.elements("text").map(\.fullText).contains("\(ReportText.decimal(km, decimals: 3)) km"))
            let mantissa = km / pow(10, floor(log10(km)))
            XCTAssertTrue([1, 2, 5].contains { abs($0 - mantissa) < 1e-9 }, "\(km) km is not a round length")
        }
    }

    func testTextIsEscapedAndControlCharactersDropped() throws {
        var doc = ReportSamples.small()
        doc.areaName = "A&B <Land> \"quoted\" 'single'"
        doc.regionBorders[0].name = "West <script>alert(1)</script> & co"
        doc.flaggedRegions[0].places = ["Tin<za>ouatène & \"Co\"\u{0007}"]
        doc.densityClasses[0].label = "< 0.01 & more"
        let text = SVGMap.render(doc)
        XCTAssertFalse(text.contains("<script>"))
        XCTAssertFalse(text.contains("<Land>"))
        XCTAssertFalse(text.contains("\u{0007}"))
        let svg = try XTreeBuilder.parse(text)
        XCTAssertTrue(svg.first(id: "as-of")!.fullText.hasPrefix("A&B <Land> \"quoted\" 'single':"))
        XCTAssertTrue(svg.elements(class: "region-label").map(\.fullText).contains("West <script>alert(1)</script> & co"))
        XCTAssertEqual(svg.elements(class: "flag-label").first?.fullText, "Tin<za>ouatène & \"Co\"")
        XCTAssertEqual(svg.elements(class: "region-border").first?["data-name"], "West <script>alert(1)</script> & co")
        XCTAssertTrue(svg.first(id: "legend")!.elements("text").map(\.fullText).contains("< 0.01 & more"))
    }

    func testLabelsOfNearbyRegionsDoNotOverlap() throws {
        // Five flagged regions in a tight cluster and a region name right there too.
        var doc = ReportSamples.small()
        doc.flaggedRegions = (0..<5).map { k in
            FlaggedRegionSummary(
                id: "R\(k)", category: .new, significant: k % 2 == 0, pValue: 0.01, qValue: 0.02, recentEvents: 2,
                baselineEvents: 0, recentFatalities: 1, places: ["Place number \(k)"], admin1: ["West"], summary: "",
                geometry: .polygon([ReportSamples.square(-11 + 0.1 * Double(k), 14, -10.95 + 0.1 * Double(k), 14.05)]))
        }
        let svg = try XTreeBuilder.parse(SVGMap.render(doc))
        // Conservative boxes: 0.5 em per character (narrower than real text) and the font's cap height.
        let boxes = (svg.elements(class: "flag-label") + svg.elements(class: "region-label")).map { t -> (String, PixelRect) in
            let fs = t.double("font-size")!
            return (t.fullText, PixelRect(x: t.double("x")!, y: t.double("y")! - 0.7 * fs, width: 0.5 * fs * Double(t.fullText.count), height: 0.7 * fs))
        }
        XCTAssertEqual(boxes.count, 7)
        for i in boxes.indices { for j in boxes.indices where i < j {
            XCTAssertFalse(boxes[i].1.intersects(boxes[j].1), "\(boxes[i].0) overlaps \(boxes[j].0)")
        } }
    }

    func testStraightRunsOfGridCellOutlinesAreMerged() throws {
        // A 2° square traced through every 0.05° grid corner: 160 vertices, 4 corners.
        var ring: [LonLat] = []
        for k in 0..<40 { ring.append(LonLat(-11 + 0.05 * Double(k), 13)) }
        for k in 0..<40 { ring.append(LonLat(-9, 13 + 0.05 * Double(k))) }
        for k in 0..<40 { ring.append(LonLat(-9 - 0.05 * Double(k), 15)) }
        for k in 0..<40 { ring.append(LonLat(-11, 15 - 0.05 * Double(k))) }
        ring.append(ring[0])
        var doc = ReportSamples.small()
        doc.densityClasses = [DensityClassLayer(label: "all", lowerBound: 0, upperBound: 1, geometry: .polygon([ring]))]
        let svg = try XTreeBuilder.parse(SVGMap.render(doc))
        let d = try XCTUnwrap(svg.elements(class: "density-class").first?["d"])
        XCTAssertEqual(pathPoints(d).count, 4, d)
        XCTAssertTrue(d.hasPrefix("M") && d.hasSuffix("Z"))
    }

    func testDensityRampDarkensWithEachClass() {
        for n in 1...9 {
            let ramp = MapStyle.densityRamp(n)
            XCTAssertEqual(ramp.count, n)
            // Relative luminance (sRGB, linearised) must fall strictly from class to class.
            let lum = ramp.map { hex -> Double in
                let v = Int(hex.dropFirst(), radix: 16)!
                func lin(_ c: Int) -> Double { let s = Double(c) / 255; return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4) }
                return 0.2126 * lin(v >> 16) + 0.7152 * lin((v >> 8) & 255) + 0.0722 * lin(v & 255)
            }
            for k in 1..<n { XCTAssertLessThan(lum[k], lum[k - 1], "ramp \(n): \(ramp)") }
            XCTAssertLessThan(lum[0], 0.97, "the lowest class must differ from the white country fill")
        }
    }

    func testScaleBarPicksTheLongestRoundLengthThatFits() {
        for kmPerPx in [0.013, 0.5, 1.0, 2.43, 7.7, 31.0] {
            let bar = ScaleBar(kmPerPixel: kmPerPx, maxPixels: 150)
            XCTAssertLessThanOrEqual(bar.pixels, 150 + 1e-9)
            XCTAssertEqual(bar.pixels * kmPerPx, bar.kilometres, accuracy: 1e-9)
            // The next round length (×2 or ×2.5) would not fit.
            let next = [1.0, 2.0, 5.0, 10.0].map { $0 * pow(10, floor(log10(bar.kilometres))) }.first { $0 > bar.kilometres * 1.0001 }!
            XCTAssertGreaterThan(next / kmPerPx, 150, "\(kmPerPx) km/px: \(bar.kilometres) km, \(next) km would fit too")
        }
    }

    func testEmptyAndDegenerateDocumentsRenderValidSVG() throws {
        var doc = ReportSamples.small()
        doc.outline = .multiPolygon([])
        doc.regionBorders = []; doc.densityClasses = []; doc.flaggedRegions = []; doc.incidents = []
        let empty = try XTreeBuilder.parse(SVGMap.render(doc))
        XCTAssertNotNil(empty.first(id: "legend"))
        XCTAssertEqual(empty.elements(class: "flagged-region").count, 0)

        // A single point as the only content: the map still gets a finite scale.
        doc.incidents = [ReportIncident(location: LonLat(-8, 12.6), isRecent: true)]
        let point = try XTreeBuilder.parse(SVGMap.render(doc))
        let c = try XCTUnwrap(point.elements(class: "incident").first)
        XCTAssertTrue(c.double("cx")!.isFinite && c.double("cy")!.isFinite)
        XCTAssertGreaterThan(try XCTUnwrap(point.first(id: "scale-bar")?.double("data-km")), 0)
    }
}
