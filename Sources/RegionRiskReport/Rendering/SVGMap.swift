import Foundation
import RegionRiskData
import RegionRiskGeoJSON

/// The report's map as a self-contained SVG document (no external resources, no scripts):
/// the area's outline, its regions' borders and names, density classes on a sequential ramp,
/// flagged regions outlined by category (dashed when not significant) and labelled with their
/// places, optional incident dots, a legend, a scale bar in km, a north arrow and the as-of date.
///
/// Example: `let svg = SVGMap.render(document, width: 900, height: 720)`.
package enum SVGMap {
    /// Renders the map. `width` and `height` are SVG pixels (also the viewBox); below about
    /// 600 × 450 the legend is shrunk to fit. Coordinates are written to 0.1 px.
    package static func render(_ doc: ReportDocument, width: Int = 900, height: Int = 720) -> String {
        let layout = Layout(doc, width: Double(max(width, 200)), height: Double(max(height, 150)))
        var out = ""
        out.reserveCapacity(64 * 1024)
        let e = ReportText.xmlEscaped
        let n = SVGPath.number
        let w = layout.width, h = layout.height

        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(w)) \(n(h))\" width=\"\(n(w))\" height=\"\(n(h))\""
        out += " role=\"img\" aria-labelledby=\"rr-map-title\" font-family=\"\(e(MapStyle.fontFamily))\">\n"
        out += "<title id=\"rr-map-title\">\(e(layout.titleText))</title>\n"
        out += "<desc>\(e(description(doc)))</desc>\n"
        out += "<defs><clipPath id=\"rr-map-clip\"><rect x=\"\(n(layout.mapRect.x))\" y=\"\(n(layout.mapRect.y))\""
        out += " width=\"\(n(layout.mapRect.width))\" height=\"\(n(layout.mapRect.height))\"/></clipPath></defs>\n"
        out += "<rect id=\"background\" x=\"0\" y=\"0\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(MapStyle.background)\"/>\n"

        let p = layout.projection
        // The frame clips; the viewport inside it is what the HTML report's script zooms and pans
        // (its transform), labels included so that they stay with their regions.
        out += "<g id=\"map-frame\" clip-path=\"url(#rr-map-clip)\">\n<g id=\"viewport\">\n"
        out += "<g id=\"map\">\n"
        // Country fill first, borders and outline above the density so they stay visible.
        out += "<path id=\"outline-fill\" fill=\"\(MapStyle.countryFill)\" fill-rule=\"evenodd\" d=\"\(SVGPath.data(doc.outline, p))\"/>\n"

        out += "<g id=\"density\" stroke=\"none\" fill-rule=\"evenodd\">\n"
        let ramp = MapStyle.densityRamp(doc.densityClasses.count)
        for (k, c) in doc.densityClasses.enumerated() {
            let d = SVGPath.data(c.geometry, p)
            guard !d.isEmpty else { continue }
            out += "<path class=\"density-class\" data-class=\"\(k)\" fill=\"\(ramp[k])\" fill-opacity=\"0.85\" d=\"\(d)\"><title>\(e(c.label))</title></path>\n"
        }
        out += "</g>\n"

        if let outlook = doc.riskOutlook { out += outlook.svgLayer(p) }

        out += "<g id=\"region-borders\" fill=\"none\" stroke=\"\(MapStyle.borderStroke)\" stroke-width=\"0.8\" stroke-linejoin=\"round\">\n"
        for r in doc.regionBorders {
            let d = SVGPath.data(r.geometry, p)
            guard !d.isEmpty else { continue }
            out += "<path class=\"region-border\" data-name=\"\(e(r.name))\" d=\"\(d)\"/>\n"
        }
        out += "</g>\n"
        out += "<path id=\"outline\" fill=\"none\" stroke=\"\(MapStyle.countryStroke)\" stroke-width=\"1.4\" stroke-linejoin=\"round\" d=\"\(SVGPath.data(doc.outline, p))\"/>\n"

        if !doc.incidents.isEmpty {
            out += "<g id=\"incidents\">\n"
            // Earlier incidents first so that recent ones are drawn on top.
            for recent in [false, true] {
                for i in doc.incidents where i.isRecent == recent {
                    let q = p.project(i.location)
                    guard q.x.isFinite, q.y.isFinite else { continue }
                    out += recent
                        ? "<circle class=\"incident recent\" cx=\"\(n(q.x))\" cy=\"\(n(q.y))\" r=\"2.6\" fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>\n"
                        : "<circle class=\"incident earlier\" cx=\"\(n(q.x))\" cy=\"\(n(q.y))\" r=\"1.9\" fill=\"none\" stroke=\"#5a5a5a\" stroke-width=\"0.8\"/>\n"
                }
            }
            out += "</g>\n"
        }

        out += "<g id=\"flagged-regions\" stroke-linejoin=\"round\">\n"
        for f in layout.flags {
            let r = doc.flaggedRegions[f.index]
            let colour = MapStyle.colour(r.category)
            let dash = r.significant ? "" : " stroke-dasharray=\"\(MapStyle.notSignificantDash)\""
            out += "<g class=\"flagged-region\" data-id=\"\(e(r.id))\" data-category=\"\(e(r.category.rawValue))\" data-significant=\"\(r.significant)\">"
            out += "<title>\(e(r.summary.isEmpty ? r.label() : r.summary))</title>"
            if !f.path.isEmpty {
                out += "<path fill=\"\(colour)\" fill-opacity=\"0.18\" fill-rule=\"evenodd\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash) d=\"\(f.path)\"/>"
            }
            if let m = f.marker {
                // Too small to see at this scale: a ring around it shows where it is.
                out += "<circle cx=\"\(n(m.x))\" cy=\"\(n(m.y))\" r=\"\(n(m.r))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>"
            }
            out += "</g>\n"
        }
        out += "</g>\n"
        out += "</g>\n"  // map

        out += "<g id=\"labels\">\n"
        for l in layout.labels {
            if let leader = l.leader {
                out += "<line class=\"leader\" x1=\"\(n(leader.0.x))\" y1=\"\(n(leader.0.y))\" x2=\"\(n(leader.1.x))\" y2=\"\(n(leader.1.y))\" stroke=\"\(l.colour)\" stroke-width=\"0.9\"/>\n"
            }
            let weight = l.bold ? " font-weight=\"bold\"" : ""
            let style = l.italic ? " font-style=\"italic\"" : ""
            out += "<text class=\"\(l.cssClass)\" x=\"\(n(l.rect.x))\" y=\"\(n(l.rect.y + TextMetrics.baseline(l.fontSize)))\" font-size=\"\(n(l.fontSize))\"\(weight)\(style)"
            out += " fill=\"\(l.colour)\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">\(e(l.text))</text>\n"
        }
        out += "</g>\n"
        out += "</g>\n</g>\n"  // viewport, map-frame

        out += "<text id=\"as-of\" x=\"\(n(layout.titleRect.x))\" y=\"\(n(layout.titleRect.y + TextMetrics.baseline(layout.titleFontSize)))\""
        out += " font-size=\"\(n(layout.titleFontSize))\" font-weight=\"bold\" fill=\"#1a1a1a\">\(e(layout.titleText))</text>\n"

        out += legend(doc, layout)
        out += scaleBarAndNorthArrow(layout)
        out += "</svg>\n"
        return out
    }

    /// A sentence for screen readers (the SVG's `<desc>`).
    static func description(_ doc: ReportDocument) -> String {
        let flagged = doc.flaggedRegions.map { "\($0.label()) (\($0.category.rawValue)\($0.significant ? ", significant" : ""))" }
        return "Map of \(doc.areaName) as of \(doc.asOf): \(doc.densityClasses.count) density classes; "
            + (flagged.isEmpty ? "no flagged region." : "flagged regions: \(flagged.joined(separator: "; ")).")
    }

    // MARK: - Layout

    struct PlacedLabel {
        var text: String
        var rect: PixelRect
        var fontSize: Double
        var colour: String
        var bold: Bool
        var italic: Bool
        var cssClass: String
        var leader: ((x: Double, y: Double), (x: Double, y: Double))?
    }

    struct FlagDrawing {
        var index: Int
        var path: String
        var box: PixelRect
        var marker: (x: Double, y: Double, r: Double)?
    }

    /// Where everything goes: computed once, then written out.
    struct Layout {
        let width: Double
        let height: Double
        let margin = 12.0
        let titleFontSize: Double
        let titleText: String
        let titleRect: PixelRect
        let mapRect: PixelRect
        let panelRect: PixelRect
        let projection: MapProjection
        var flags: [FlagDrawing] = []
        var labels: [PlacedLabel] = []

        init(_ doc: ReportDocument, width: Double, height: Double) {
            self.width = width
            self.height = height
            titleText = "\(doc.areaName): flagged regions and event density, as of \(doc.asOf)"
            let panelWidth = min(max(width * 0.27, 190), 280)
            let available = width - panelWidth - 3 * margin
            var fs = 16.0
            while fs > 9 && TextMetrics.width(titleText, fontSize: fs, bold: true) > width - 2 * margin { fs -= 1 }
            titleFontSize = fs
            titleRect = PixelRect(x: margin, y: margin, width: width - 2 * margin, height: TextMetrics.lineHeight(fs))
            let top = titleRect.maxY + 8
            mapRect = PixelRect(x: margin, y: top, width: max(available, 50), height: max(height - top - margin, 50))
            panelRect = PixelRect(x: mapRect.maxX + margin, y: top, width: panelWidth, height: mapRect.height)

            // Fit the outline; without one, whatever else there is.
            var box = doc.outline.boundingBox
            if box == nil {
                let all = doc.regionBorders.map(\.geometry) + doc.densityClasses.map(\.geometry)
                    + doc.flaggedRegions.map(\.geometry) + doc.incidents.map { .point($0.location) }
                box = GeoJSONGeometry.geometryCollection(all).boundingBox
            }
            var b = box ?? (west: -1, south: -1, east: 1, north: 1)
            if b.east - b.west < 1e-6 && b.north - b.south < 1e-6 {
                b = (b.west - 0.5, b.south - 0.5, b.east + 0.5, b.north + 0.5)
            }
            projection = MapProjection(fitting: b, into: mapRect.insetBy(10))

            layOutFlagsAndLabels(doc)
        }

        private mutating func layOutFlagsAndLabels(_ doc: ReportDocument) {
            var placer = LabelPlacer(canvas: mapRect.insetBy(2))
            for (k, r) in doc.flaggedRegions.enumerated() {
                let path = SVGPath.data(r.geometry, projection)
                guard var box = LabelAnchor.pixelBox(r.geometry, projection) else { continue }
                var marker: (x: Double, y: Double, r: Double)?
                if box.width < 10 && box.height < 10 {
                    let radius = 8.0
                    marker = (box.midX, box.midY, radius)
                    box = PixelRect(x: box.midX - radius, y: box.midY - radius, width: 2 * radius, height: 2 * radius)
                }
                flags.append(FlagDrawing(index: k, path: path, box: box, marker: marker))
            }
            placer.obstacles = flags.map(\.box)

            // Flag labels first: they are what the map is for.
            let flagFont = 12.0
            for f in flags {
                let r = doc.flaggedRegions[f.index]
                var text = r.label()
                var maxPlaces = 3
                while maxPlaces > 1 && TextMetrics.width(text, fontSize: flagFont, bold: true) > mapRect.width * 0.4 {
                    maxPlaces -= 1
                    text = r.label(maxPlaces: maxPlaces)
                }
                let tw = TextMetrics.width(text, fontSize: flagFont, bold: true)
                let th = TextMetrics.lineHeight(flagFont)
                let rect = placer.place(LabelPlacer.around(f.box, width: tw, height: th), ownFeature: f.box)
                var leader: ((x: Double, y: Double), (x: Double, y: Double))?
                let gapX = max(rect.x - f.box.maxX, f.box.x - rect.maxX, 0)
                let gapY = max(rect.y - f.box.maxY, f.box.y - rect.maxY, 0)
                if gapX > 8 || gapY > 8 {
                    let from = (x: min(max(rect.midX, f.box.x), f.box.maxX), y: min(max(rect.midY, f.box.y), f.box.maxY))
                    let to = (x: min(max(from.x, rect.x), rect.maxX), y: min(max(from.y, rect.y), rect.maxY))
                    leader = (from, to)
                }
                labels.append(
                    PlacedLabel(
                        text: text, rect: rect, fontSize: flagFont, colour: MapStyle.colour(r.category), bold: true,
                        italic: false, cssClass: "flag-label", leader: leader))
            }

            let regionFont = 11.0
            for r in doc.regionBorders {
                guard let anchor = LabelAnchor.interiorPoint(r.geometry, projection) else { continue }
                let tw = TextMetrics.width(r.name, fontSize: regionFont)
                let th = TextMetrics.lineHeight(regionFont)
                let rect = placer.place(LabelPlacer.centred(on: anchor, width: tw, height: th))
                labels.append(
                    PlacedLabel(
                        text: r.name, rect: rect, fontSize: regionFont, colour: MapStyle.regionNameColour, bold: false,
                        italic: true, cssClass: "region-label", leader: nil))
            }
        }
    }

    // MARK: - Legend

    private static func legend(_ doc: ReportDocument, _ layout: Layout) -> String {
        let e = ReportText.xmlEscaped
        let n = SVGPath.number
        let fs = 11.0
        let row = 18.0
        var body = ""
        var y = 0.0
        var widest = 0.0
        func text(_ s: String, x: Double, bold: Bool = false, size: Double = fs, cls: String = "legend-entry") {
            body += "<text class=\"\(cls)\" x=\"\(n(x))\" y=\"\(n(y + row / 2 + size * 0.35))\" font-size=\"\(n(size))\""
            body += (bold ? " font-weight=\"bold\"" : "") + " fill=\"#1a1a1a\">\(e(s))</text>\n"
            widest = max(widest, x + TextMetrics.width(s, fontSize: size, bold: bold))
        }
        func heading(_ s: String) {
            y += 4
            text(s, x: 0, bold: true, size: 12, cls: "legend-heading")
            y += row
        }

        heading("As of \(doc.asOf)")
        text("Recent \(doc.windows.recentDays) d vs the \(doc.windows.baselineDays) d before", x: 0)
        y += row

        if !doc.densityClasses.isEmpty {
            heading("Event density")
            if let unit = doc.densityUnitLabel {
                text(unit, x: 0, cls: "legend-unit")
                y += row
            }
            if let period = doc.densityPeriod {
                text("events \(period.lowerBound) to \(period.upperBound)", x: 0, cls: "legend-period")
                y += row
            }
            let ramp = MapStyle.densityRamp(doc.densityClasses.count)
            // Darkest first, as readers scan a legend top-down for "worst".
            for (k, c) in doc.densityClasses.enumerated().reversed() {
                body += "<rect class=\"legend-swatch\" x=\"0\" y=\"\(n(y + 3))\" width=\"22\" height=\"\(n(row - 6))\" fill=\"\(ramp[k])\" fill-opacity=\"0.85\" stroke=\"#888888\" stroke-width=\"0.5\"/>\n"
                text(c.label, x: 30)
                y += row
            }
        }

        heading("Flagged regions")
        var categories = FlagCategory.standard
        for c in Set(doc.flaggedRegions.map(\.category)).sorted() where !categories.contains(c) { categories.append(c) }
        for c in categories {
            let colour = MapStyle.colour(c)
            body += "<rect class=\"legend-swatch\" x=\"1\" y=\"\(n(y + 3))\" width=\"20\" height=\"\(n(row - 6))\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            text(ReportSummary.phrase(c).prefix(1).uppercased() + ReportSummary.phrase(c).dropFirst() + " (\(c.rawValue))", x: 30)
            y += row
        }
        body += "<line x1=\"0\" y1=\"\(n(y + row / 2))\" x2=\"22\" y2=\"\(n(y + row / 2))\" stroke=\"#333333\" stroke-width=\"2\"/>\n"
        text("Significant (FDR-corrected)", x: 30)
        y += row
        body += "<line x1=\"0\" y1=\"\(n(y + row / 2))\" x2=\"22\" y2=\"\(n(y + row / 2))\" stroke=\"#333333\" stroke-width=\"2\" stroke-dasharray=\"\(MapStyle.notSignificantDash)\"/>\n"
        text("Not (yet) significant", x: 30)
        y += row

        heading("Other")
        if doc.incidents.contains(where: \.isRecent) {
            body += "<circle cx=\"11\" cy=\"\(n(y + row / 2))\" r=\"2.6\" fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>\n"
            text("Incident, recent window", x: 30)
            y += row
        }
        if doc.incidents.contains(where: { !$0.isRecent }) {
            body += "<circle cx=\"11\" cy=\"\(n(y + row / 2))\" r=\"1.9\" fill=\"none\" stroke=\"#5a5a5a\" stroke-width=\"0.8\"/>\n"
            text("Incident, earlier", x: 30)
            y += row
        }
        body += "<line x1=\"0\" y1=\"\(n(y + row / 2))\" x2=\"22\" y2=\"\(n(y + row / 2))\" stroke=\"\(MapStyle.countryStroke)\" stroke-width=\"1.4\"/>\n"
        text("\(doc.areaName) border", x: 30)
        y += row
        if !doc.regionBorders.isEmpty {
            body += "<line x1=\"0\" y1=\"\(n(y + row / 2))\" x2=\"22\" y2=\"\(n(y + row / 2))\" stroke=\"\(MapStyle.borderStroke)\" stroke-width=\"0.8\"/>\n"
            text("Region border", x: 30)
            y += row
        }

        // The legend shrinks (never grows) to fit the panel above the scale bar.
        let pad = 8.0
        let boxW = widest + 2 * pad
        let boxH = y + 2 * pad
        let panel = layout.panelRect
        let availableH = panel.height - scaleBlockHeight - 8
        let s = min(1, panel.width / boxW, availableH / boxH)
        var out = "<g id=\"legend\" transform=\"translate(\(n(panel.x)) \(n(panel.y)))" + (s < 1 ? " scale(\(String(format: "%.3f", s)))" : "") + "\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(max(boxW, panel.width / s)))\" height=\"\(n(boxH))\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"#b0b0b0\" stroke-width=\"0.8\"/>\n"
        out += "<g transform=\"translate(\(n(pad)) \(n(pad)))\">\n" + body + "</g>\n</g>\n"
        return out
    }

    /// Height of the scale bar and north arrow block at the bottom of the panel.
    static let scaleBlockHeight = 64.0

    private static func scaleBarAndNorthArrow(_ layout: Layout) -> String {
        let n = SVGPath.number
        let panel = layout.panelRect
        let arrowW = 24.0
        let bar = ScaleBar(kmPerPixel: layout.projection.kmPerPixel, maxPixels: panel.width - arrowW - 30)
        let x0 = panel.x + 4
        let top = panel.maxY - scaleBlockHeight
        let barY = top + 30
        let lat = layout.projection.midLatitude
        let latText = "\(String(format: "%.1f", abs(lat)))° \(lat >= 0 ? "N" : "S")"
        var out = "<g id=\"scale-bar\" data-km=\"\(ReportText.decimal(bar.kilometres, decimals: 3))\" data-px=\"\(n(bar.pixels))\">\n"
        out += "<text x=\"\(n(x0))\" y=\"\(n(top + 12))\" font-size=\"10\" fill=\"#333333\">Scale at \(latText)</text>\n"
        // Two halves, dark and light, as on printed maps.
        let half = bar.pixels / 2
        out += "<rect class=\"scale-bar-segment\" x=\"\(n(x0))\" y=\"\(n(barY))\" width=\"\(n(half))\" height=\"6\" fill=\"#333333\" stroke=\"#333333\" stroke-width=\"0.8\"/>\n"
        out += "<rect class=\"scale-bar-segment\" x=\"\(n(x0 + half))\" y=\"\(n(barY))\" width=\"\(n(bar.pixels - half))\" height=\"6\" fill=\"#ffffff\" stroke=\"#333333\" stroke-width=\"0.8\"/>\n"
        func label(_ s: String, _ x: Double, anchor: String) {
            out += "<text x=\"\(n(x))\" y=\"\(n(barY - 4))\" font-size=\"10\" text-anchor=\"\(anchor)\" fill=\"#333333\">\(s)</text>\n"
        }
        label("0", x0, anchor: "start")
        label(ReportText.decimal(bar.kilometres / 2, decimals: 3), x0 + half, anchor: "middle")
        label("\(ReportText.decimal(bar.kilometres, decimals: 3)) km", x0 + bar.pixels, anchor: "middle")
        out += "</g>\n"

        let ax = panel.maxX - arrowW / 2 - 4
        let ay = top + 8
        out += "<g id=\"north-arrow\">"
        out += "<path d=\"M\(n(ax)) \(n(ay + 6))L\(n(ax + 7)) \(n(ay + 30))L\(n(ax)) \(n(ay + 25))L\(n(ax - 7)) \(n(ay + 30))Z\" fill=\"#333333\"/>"
        out += "<text x=\"\(n(ax))\" y=\"\(n(ay + 4))\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#333333\">N</text>"
        out += "</g>\n"
        return out
    }
}
