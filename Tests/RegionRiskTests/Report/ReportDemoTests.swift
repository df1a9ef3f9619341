import Foundation
import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskGeoJSON
@testable import RegionRiskReport

/// A realistic demo report for Mali, built from the team's reference data in ../shared (OCHA
/// boundaries, the seed incidents): real outline, nine regions, a density surface from the
/// incidents, and hand-placed flags where the July 2025 attacks were. It checks what a reader
/// would notice on the real map — labels on the canvas and not on top of each other — and,
/// when REGIONRISK_REPORT_DEMO_DIR is set, writes demo.html and demo.md there for
/// scripts/check-report-in-browser.sh.
final class ReportDemoTests: XCTestCase {
    func testMaliDemoReportKeepsLabelsApartAndOnTheCanvas() throws {
        let doc = try MaliDemo.document()
        let (w, h) = (900, 720)
        let svg = try XTreeBuilder.parse(SVGMap.render(doc, width: w, height: h))

        XCTAssertEqual(svg.elements(class: "region-border").count, 9)
        XCTAssertEqual(svg.elements(class: "flagged-region").count, doc.flaggedRegions.count)
        let flagLabels = svg.elements(class: "flag-label")
        let regionLabels = svg.elements(class: "region-label")
        XCTAssertEqual(flagLabels.count, doc.flaggedRegions.count)
        XCTAssertEqual(Set(regionLabels.map(\.fullText)), Set(doc.regionBorders.map(\.name)))

        // Conservative text boxes (0.5 em per character, cap height): if these overlap, real text does.
        let boxes = (flagLabels + regionLabels).map { t -> (String, PixelRect) in
            let fs = t.double("font-size")!
            return (t.fullText, PixelRect(x: t.double("x")!, y: t.double("y")! - 0.7 * fs, width: 0.5 * fs * Double(t.fullText.count), height: 0.7 * fs))
        }
        for i in boxes.indices {
            let b = boxes[i].1
            XCTAssertTrue(b.x >= 0 && b.y >= 0 && b.maxX <= Double(w) && b.maxY <= Double(h), "\(boxes[i].0) off the canvas: \(b)")
            for j in boxes.indices where i < j {
                XCTAssertFalse(b.intersects(boxes[j].1), "\(boxes[i].0) overlaps \(boxes[j].0)")
            }
        }
        // The legend lies beside the map, not on it.
        let clip = try XCTUnwrap(svg.elements("clipPath").first?.elements("rect").first)
        let legendX = try XCTUnwrap(svg.first(id: "legend")?["transform"]).split(separator: "(")[1].split(separator: " ")[0]
        XCTAssertGreaterThan(Double(legendX)!, clip.double("x")! + clip.double("width")!)

        if let dir = ProcessInfo.processInfo.environment["REGIONRISK_REPORT_DEMO_DIR"], !dir.isEmpty {
            let folder = URL(fileURLWithPath: dir, isDirectory: true)
            try AtomicFile.write(HTMLReport.render(doc), to: folder.appendingPathComponent("demo.html"))
            try AtomicFile.write(MarkdownReport.render(doc), to: folder.appendingPathComponent("demo.md"))
            try AtomicFile.write(SVGMap.render(doc, width: w, height: h), to: folder.appendingPathComponent("demo.svg"))
        }
    }
}

/// Builds the demo document. Flags are placed by hand (this is a rendering demo, not detection).
enum MaliDemo {
    static let asOf = CivilDate(year: 2025, month: 7, day: 8)!

    static func document() throws -> ReportDocument {
        let adm0 = try GeoJSONFeatureCollection(contentsOf: SharedData.url("geodata/mali/ocha-adm0-simplified.geojson"))
        let adm1 = try GeoJSONFeatureCollection(contentsOf: SharedData.url("geodata/mali/ocha-adm1.geojson"))
        let incidents = try readSeed(SharedData.url("seed/incidents-2024-2025.csv"))
        let outline = try XCTUnwrap(adm0.features.first?.geometry)
        let windows = AnalysisWindows(asOf: asOf, recentDays: 30, baselineDays: 365)

        let regions = adm1.features.compactMap { f -> NamedGeometry? in
            guard let g = f.geometry, let name = f.properties["admin1Name"]?.stringValue else { return nil }
            return NamedGeometry(name: name, geometry: g)
        }

        func blob(_ centre: LonLat, _ radiusKm: Double, sides: Int = 10) -> [LonLat] {
            let dLat = radiusKm / MapProjection.kmPerDegree
            let dLon = dLat / cos(centre.lat * .pi / 180)
            var ring = (0..<sides).map { k -> LonLat in
                let a = 2 * Double.pi * Double(k) / Double(sides)
                return LonLat(centre.lon + dLon * cos(a), centre.lat + dLat * sin(a))
            }
            ring.append(ring[0])
            return ring
        }
        func hull(_ pts: [LonLat], padKm: Double) -> GeoJSONGeometry {
            // Bounding box of the points, padded: good enough for a demo region.
            let pad = padKm / MapProjection.kmPerDegree
            let (w, e) = (pts.map(\.lon).min()! - pad, pts.map(\.lon).max()! + pad)
            let (s, n) = (pts.map(\.lat).min()! - pad, pts.map(\.lat).max()! + pad)
            return .polygon([ReportSamples.square(w, s, e, n)])
        }
        let kayes = LonLat(-11.44448, 14.44693), diboli = LonLat(-12.19945, 14.45511)
        let flags: [FlaggedRegionSummary] = [
            FlaggedRegionSummary(
                id: "R1", category: .new, significant: true, pValue: 0.0004, qValue: 0.004, recentEvents: 2,
                baselineEvents: 0, recentFatalities: 80, places: ["Kayes", "Diboli"], admin1: ["Kayes"],
                summary: "New activity around Kayes and Diboli (Kayes region): 2 events in the last 30 days, none in the 365 days before",
                geometry: hull([kayes, diboli], padKm: 20)),
            FlaggedRegionSummary(
                id: "R2", category: .new, significant: false, pValue: 0.03, qValue: 0.09, recentEvents: 2,
                baselineEvents: 0, recentFatalities: 0, places: ["Diamond Cement Factory", "Karaga"], admin1: ["Kayes"],
                summary: "New activity around the cement works east of Kayes: 2 events, none before",
                geometry: hull([LonLat(-10.9308, 14.0621), LonLat(-10.8041, 14.0858)], padKm: 12)),
            FlaggedRegionSummary(
                id: "R3", category: .new, significant: false, pValue: 0.06, qValue: 0.12, recentEvents: 1,
                baselineEvents: 0, recentFatalities: 0, places: ["Sandaré"], admin1: ["Kayes"],
                summary: "New activity around Sandaré: 1 event, none before", geometry: .polygon([blob(LonLat(-10.3057, 14.7038), 18)])),
            FlaggedRegionSummary(
                id: "R4", category: .escalating, significant: false, pValue: 0.2, qValue: 0.3, recentEvents: 1,
                baselineEvents: 1, recentFatalities: 0, places: ["Nioro du Sahel"], admin1: ["Kayes"],
                summary: "Nioro du Sahel: 1 event in the last 30 days, 1 in the 365 days before",
                geometry: .polygon([blob(LonLat(-9.59277, 15.22932), 22)])),
            FlaggedRegionSummary(
                id: "R5", category: .new, significant: false, pValue: 0.06, qValue: 0.12, recentEvents: 1,
                baselineEvents: 0, recentFatalities: 0, places: ["Gogui"], admin1: ["Kayes"],
                summary: "New activity around Gogui: 1 event, none before",
                // Tiny: drawn with a ring marker.
                geometry: .polygon([blob(LonLat(-9.32967, 15.68592), 4)])),
            FlaggedRegionSummary(
                id: "R6", category: .persistent, significant: false, pValue: 0.4, qValue: 0.6, recentEvents: 6,
                baselineEvents: 14, recentFatalities: 63, places: ["Diafarabé", "Dioura", "Niono"], admin1: ["Mopti", "Segou"],
                summary: "Continued activity around Diafarabé, Dioura and Niono",
                geometry: hull([LonLat(-5.01781, 14.13814), LonLat(-5.2547, 14.8252), LonLat(-5.98679, 14.25054)], padKm: 25)),
            FlaggedRegionSummary(
                id: "R7", category: .cooling, significant: true, pValue: 0.002, qValue: 0.01, recentEvents: 0,
                baselineEvents: 9, recentFatalities: 0, places: ["Tinzaouatène"], admin1: ["Kidal"],
                summary: "Cooling around Tinzaouatène: no event in the last 30 days, 9 in the 365 days before",
                geometry: .polygon([blob(LonLat(2.98, 19.96), 45, sides: 14)])),
        ]

        let density = densityClasses(incidents.filter { $0.date >= windows.baselineStart && $0.date <= asOf }.map(\.location), inside: outline)
        let points = incidents.filter { $0.date <= asOf }.map { ReportIncident(location: $0.location, isRecent: $0.date >= windows.recentStart) }

        var rows: [Admin1Row] = []
        for name in Set(incidents.compactMap(\.admin1)).sorted() {
            let mine = incidents.filter { $0.admin1 == name }
            let recent = mine.filter { $0.date >= windows.recentStart && $0.date <= asOf }
            let base = mine.filter { $0.date >= windows.baselineStart && $0.date <= windows.baselineEnd }
            let ratio: Double? = base.isEmpty ? nil
                : (Double(recent.count) / Double(windows.recentDays)) / (Double(base.count) / Double(windows.baselineDays))
            rows.append(Admin1Row(
                name: name, recentEvents: recent.count, baselineEvents: base.count,
                recentFatalities: recent.map(\.fatalities).reduce(0, +), baselineFatalities: base.map(\.fatalities).reduce(0, +),
                rateRatio: ratio, score: Double(recent.count) + Double(recent.map(\.fatalities).reduce(0, +)) / 10, rank: 0))
        }
        rows.sort { ($0.score, $1.name) > ($1.score, $0.name) }
        for k in rows.indices { rows[k].rank = k + 1 }

        return ReportDocument(
            title: "RegionRisk report (rendering demo: flags placed by hand)", areaName: "Mali", asOf: asOf,
            generatedAt: "2025-07-08T06:00:00Z", windows: windows, outline: outline, regionBorders: regions,
            densityClasses: density, flaggedRegions: flags, incidents: points, admin1Rows: rows,
            changesSinceLastRun: RunChanges(
                previousAsOf: CivilDate(year: 2025, month: 7, day: 1), new: ["Kayes, Diboli", "Sandaré", "Gogui"],
                continuing: ["Diafarabé, Dioura, Niono"], ended: ["Boulkessi"]),
            notes: ["4 events known only to their region (geo_precision 3) were excluded from the test.",
                    "Demo data: density from the seed incidents (quartic kernel, 75 km); flags placed by hand."],
            parameters: [ReportParameter("recent_days", "30"), ReportParameter("baseline_days", "365"),
                         ReportParameter("bandwidth_km", "75"), ReportParameter("alpha", "0.05")],
            sources: [ReportSource(title: "OCHA COD-AB Mali administrative boundaries", url: "https://data.humdata.org/dataset/cod-ab-mli")])
    }

    struct SeedIncident {
        var date: CivilDate
        var location: LonLat
        var admin1: String?
        var fatalities: Int
    }

    /// The seed CSV's date, admin1, fatalities, latitude and longitude columns (RFC 4180 quoting).
    static func readSeed(_ url: URL) throws -> [SeedIncident] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" || c == "\r\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(c) }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        let header = rows.removeFirst()
        func col(_ n: String) throws -> Int { try XCTUnwrap(header.firstIndex(of: n), "no column \(n)") }
        let (d, a, f, la, lo) = (try col("event_date"), try col("admin1"), try col("fatalities"), try col("latitude"), try col("longitude"))
        return rows.compactMap { r in
            guard r.count == header.count, let date = CivilDate(parsing: r[d]), let lat = Double(r[la]), let lon = Double(r[lo]) else { return nil }
            return SeedIncident(date: date, location: LonLat(lon, lat), admin1: r[a].isEmpty ? nil : r[a], fatalities: Int(r[f]) ?? 0)
        }
    }

    /// Quartic-kernel density (events/km², bandwidth 75 km) on a 0.1° grid inside the outline,
    /// classed and turned into row-run rectangles merged down columns.
    static func densityClasses(_ points: [LonLat], inside outline: GeoJSONGeometry) -> [DensityClassLayer] {
        let h = 75.0
        let step = 0.1
        let bounds: [(Double, Double, String)] = [
            (2e-5, 5e-5, "0.00002–0.00005 events/km²"), (5e-5, 1e-4, "0.00005–0.0001 events/km²"),
            (1e-4, 2e-4, "0.0001–0.0002 events/km²"), (2e-4, .infinity, "≥ 0.0002 events/km²"),
        ]
        guard let box = outline.boundingBox else { return [] }
        let rings = outline.polygons.map { $0[0] }
        func inside(_ p: LonLat) -> Bool {
            rings.contains { ring in
                var c = false
                var j = ring.count - 1
                for i in 0..<ring.count {
                    if (ring[i].lat > p.lat) != (ring[j].lat > p.lat),
                        p.lon < (ring[j].lon - ring[i].lon) * (p.lat - ring[i].lat) / (ring[j].lat - ring[i].lat) + ring[i].lon
                    { c.toggle() }
                    j = i
                }
                return c
            }
        }
        let nx = Int(((box.east - box.west) / step).rounded(.up)), ny = Int(((box.north - box.south) / step).rounded(.up))
        var cls = [Int](repeating: -1, count: nx * ny)
        for j in 0..<ny {
            for i in 0..<nx {
                let c = LonLat(box.west + (Double(i) + 0.5) * step, box.south + (Double(j) + 0.5) * step)
                guard inside(c) else { continue }
                var dens = 0.0
                for p in points {
                    let dy = (p.lat - c.lat) * MapProjection.kmPerDegree
                    let dx = (p.lon - c.lon) * MapProjection.kmPerDegree * cos(c.lat * .pi / 180)
                    let u = (dx * dx + dy * dy) / (h * h)
                    if u < 1 { dens += 3 / (Double.pi * h * h) * (1 - u) * (1 - u) }
                }
                cls[j * nx + i] = bounds.lastIndex { dens >= $0.0 } ?? -1
            }
        }
        return bounds.enumerated().map { k, b in
            var rects: [[LonLat]] = []
            for j in 0..<ny {
                var i = 0
                while i < nx {
                    guard cls[j * nx + i] == k else { i += 1; continue }
                    let start = i
                    while i < nx && cls[j * nx + i] == k { i += 1 }
                    rects.append(ReportSamples.square(
                        box.west + Double(start) * step, box.south + Double(j) * step,
                        box.west + Double(i) * step, box.south + Double(j + 1) * step))
                }
            }
            return DensityClassLayer(label: b.2, lowerBound: b.0, upperBound: b.1, geometry: .multiPolygon(rects.map { [$0] }))
        }
    }
}
