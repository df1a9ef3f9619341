import Foundation
import RegionRiskAnalysis
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// The forecast as the report shows it: a risk layer (cells by expected events in the horizon)
/// and a watch list of quiet places where the forecast is highest (category `at-risk`).
public struct RiskOutlook: Sendable, Equatable {
    public var horizonDays: Int
    /// Expected events in the whole area over the horizon.
    public var expectedTotal: Double
    /// Risk classes, highest first: the cells holding the top 1%, 1–5% and 5–20% of cells by expected events.
    public var layers: [RiskLayer]
    public var watchList: [AtRiskPlace]
    /// One line on the fitted model, with standard errors.
    public var modelSummary: String

    public struct RiskLayer: Sendable, Equatable {
        public var label: String
        public var geometry: GeoJSONGeometry
    }

    /// A quiet place on the watch list: no event within the quiet distance for the last
    /// recent + baseline days, yet among the highest forecasts.
    public struct AtRiskPlace: Sendable, Equatable {
        public var id: String
        package var category: FlagCategory
        public var places: [String]
        public var admin1: [String]
        /// Expected events in the cell over the horizon, and P(≥ 1).
        public var expected: Double
        public var pAny: Double
        /// Share of `expected` from recent activity (the rest is the long-run background).
        public var triggeredShare: Double
        public var geometry: GeoJSONGeometry
    }
}

extension FlagCategory {
    /// Quiet now and in the baseline, but where the forecast is highest.
    public static let atRisk = FlagCategory("at-risk")
}

extension RiskOutlook {
    /// Builds the layer and the watch list (at most `limit` places, each at least the quiet
    /// distance from the others, so one hot area does not fill the list).
    public static func make(_ f: RiskForecast, namer: RegionNamer?, limit: Int = 8) throws -> RiskOutlook {
        let spec = f.grid.spec
        let inside = (0..<spec.cellCount).filter { f.grid.mask[$0] != 0 }
        let ranked = inside.sorted { f.expected[$0] > f.expected[$1] || (f.expected[$0] == f.expected[$1] && $0 < $1) }
        var layers: [RiskLayer] = []
        var rank = [Int](repeating: Int.max, count: spec.cellCount)
        for (k, i) in ranked.enumerated() { rank[i] = k }
        let n = Double(ranked.count)
        for (lo, hi, label) in [(0.0, 0.01, "top 1% of cells"), (0.01, 0.05, "top 1–5%"), (0.05, 0.20, "top 5–20%")] {
            let a = Int((lo * n).rounded()), b = Int((hi * n).rounded())
            guard b > a else { continue }
            let floor = f.expected[ranked[b - 1]]
            let geometry = try CellDissolver.lonLatGeometry(spec: spec) { rank[$0] >= a && rank[$0] < b }
            layers.append(RiskLayer(label: "\(label): ≥ \(ReportText.decimal(floor, decimals: 3)) expected events per \(ReportText.decimal(spec.cellSizeMeters / 1000, decimals: 0)) km cell",
                                    geometry: geometry))
        }
        // Watch list: fully quiet cells (no event within the distance in the recent or baseline window).
        let minDistance2 = pow(f.parameters.quietDistanceKm * 1000, 2)
        var chosen: [(x: Double, y: Double)] = []
        var list: [AtRiskPlace] = []
        let projection = try Projection(from: "EPSG:4326", to: spec.crs)
        for i in ranked where list.count < limit {
            guard f.isQuiet(i), f.recentNearby[i] == 0, f.expected[i] > 0 else { continue }
            let c = spec.cellCenter(column: i % spec.columns, row: i / spec.columns)
            guard chosen.allSatisfy({ ($0.x - c.x) * ($0.x - c.x) + ($0.y - c.y) * ($0.y - c.y) >= minDistance2 }) else { continue }
            chosen.append(c)
            let h = spec.cellSizeMeters / 2
            var xs = [c.x - h, c.x + h, c.x + h, c.x - h, c.x - h], ys = [c.y - h, c.y - h, c.y + h, c.y + h, c.y - h]
            try projection.inverse(x: &xs, y: &ys)
            let geometry = GeoJSONGeometry.polygon([zip(xs, ys).map { LonLat(lon: $0, lat: $1) }])
            let e = f.expected[i]
            list.append(AtRiskPlace(id: "R\(list.count + 1)", category: .atRisk, places: namer?.placeNames(for: geometry, limit: 2) ?? [],
                                    admin1: namer?.admin1Names(for: geometry) ?? [], expected: e, pAny: f.pAny(i),
                                    triggeredShare: e > 0 ? f.triggered[i] / e : 0, geometry: geometry))
        }
        let t = f.fit.parameters, se = f.fit.standardErrors
        func pm(_ v: Double, _ s: Double?) -> String {
            ReportText.decimal(v, decimals: 3) + (s.map { " ± " + ReportText.decimal($0, decimals: 3) } ?? "")
        }
        let summary = "background \(pm(t.muPerDay, se[0])) events/day (\(f.fit.backgroundDescription), by cross-validation); "
            + "each event triggers \(pm(t.alpha, se[1])) more, after \(ReportText.decimal(1 / t.omegaPerDay, decimals: 1)) days on average, "
            + "within σ \(pm(t.sigmaKm, se[3])) km; fitted on \(f.eventsUsed) events up to \(f.parameters.asOf) (± one standard error)"
        return RiskOutlook(horizonDays: f.parameters.horizonDays, expectedTotal: f.expected.reduce(0, +), layers: layers,
                           watchList: list, modelSummary: summary)
    }

    static let layerColours = ["#b2182b", "#ef8a62", "#fddbc7"]

    /// The map layer (drawn above the density classes, below the flagged regions).
    func svgLayer(_ p: MapProjection) -> String {
        var out = "<g id=\"risk\" stroke=\"none\" fill-rule=\"evenodd\">\n"
        for (k, l) in layers.enumerated().reversed() {
            let d = SVGPath.data(l.geometry, p)
            guard !d.isEmpty else { continue }
            out += "<path class=\"risk-class\" data-class=\"\(k)\" fill=\"\(Self.layerColours[k % 3])\" fill-opacity=\"0.55\" d=\"\(d)\"><title>\(ReportText.xmlEscaped("forecast, next \(horizonDays) days: " + l.label))</title></path>\n"
        }
        for r in watchList {
            let d = SVGPath.data(r.geometry, p)
            guard !d.isEmpty else { continue }
            out += "<path class=\"at-risk\" data-id=\"\(r.id)\" fill=\"none\" stroke=\"\(MapStyle.colour(r.category))\" stroke-width=\"2\" d=\"\(d)\"><title>\(ReportText.xmlEscaped("\(r.id) at-risk: \(r.places.joined(separator: ", "))"))</title></path>\n"
        }
        return out + "</g>\n"
    }

    func watchRows(_ esc: (String) -> String) -> [[String]] {
        watchList.map { r in
            [r.id, r.category.rawValue, esc(r.places.joined(separator: ", ")), esc(r.admin1.joined(separator: ", ")),
             ReportText.decimal(r.expected, decimals: 3), ReportText.decimal(r.pAny, decimals: 3),
             "\(Int((r.triggeredShare * 100).rounded()))%", "\(Int(((1 - r.triggeredShare) * 100).rounded()))%"]
        }
    }

    static let watchHeader = ["Id", "Category", "Places", "Admin-1", "Expected events", "P(≥ 1)", "From recent activity", "From long-run background"]

    func intro() -> String {
        "Forecast for the next \(horizonDays) days: \(ReportText.decimal(expectedTotal, decimals: 1)) events expected in the area. Model: \(modelSummary). "
            + "At-risk places are quiet (no event within the quiet distance for over a year) but among the highest forecasts; they are not flags of activity."
    }

    func htmlSection() -> String {
        let e = ReportText.xmlEscaped
        var h = "<section id=\"at-risk\">\n<h2>Watch list: quiet places at risk</h2>\n<p>\(e(intro()))</p>\n"
        if watchList.isEmpty { return h + "<p>No quiet place stands out.</p>\n</section>\n" }
        h += "<div class=\"scroll\"><table class=\"data\">\n<thead><tr>" + Self.watchHeader.enumerated().map { $0 >= 4 ? "<th class=\"num\">\(e($1))</th>" : "<th>\(e($1))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in watchRows(e) {
            h += "<tr>" + row.enumerated().map { $0 >= 4 ? "<td class=\"num\">\($1)</td>" : "<td>\($1)</td>" }.joined() + "</tr>\n"
        }
        return h + "</tbody>\n</table></div>\n</section>\n"
    }

    func markdownSection() -> String {
        var out = "## Watch list: quiet places at risk\n\n\(ReportText.markdownEscaped(intro()))\n\n"
        if watchList.isEmpty { return out + "No quiet place stands out.\n\n" }
        out += "| " + Self.watchHeader.joined(separator: " | ") + " |\n|" + Self.watchHeader.indices.map { $0 >= 4 ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in watchRows(ReportText.markdownEscaped) { out += "| " + row.joined(separator: " | ") + " |\n" }
        return out + "\n"
    }
}
