import Foundation
import RegionRiskAnalysis
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Per admin-1 region: events and fatalities in each window, their change, and a
/// population-free risk score.
///
/// Score: recent events per 10,000 km² per 30 days, plus recent fatalities per 10,000 km² per
/// 30 days divided by 10 — how much violence falls on a unit of ground, not per inhabitant
/// (population figures for these areas are old and contested). Ranked by score, ties by name.
public struct Admin1Summary: Sendable, Equatable {
    public var name: String
    public var areaKm2: Double
    public var recentEvents: Int
    public var baselineEvents: Int
    public var recentFatalities: Double
    public var baselineFatalities: Double
    /// Recent daily rate / baseline daily rate; nil when the baseline has no event.
    public var rateRatio: Double?
    public var score: Double
    public var rank: Int

    /// Counts each incident (dated, within the windows) in the region containing it, or the
    /// nearest region for points in the slivers between region outlines and the area's outline.
    public static func compute(incidents: [Incident], regions: AdminRegions, windows: AnalysisWindows) throws -> [Admin1Summary] {
        let locator = try regions.locator()
        var rows = regions.regions.map {
            Admin1Summary(name: $0.name, areaKm2: $0.geometry.polygons.reduce(0) { $0 + Geodesic.wgs84.areaKm2(rings: $1) },
                          recentEvents: 0, baselineEvents: 0, recentFatalities: 0, baselineFatalities: 0, rateRatio: nil,
                          score: 0, rank: 0)
        }
        for e in incidents {
            guard let d = e.date, windows.contains(d), let i = locator.regionIndex(at: e.location) else { continue }
            if windows.isRecent(d) {
                rows[i].recentEvents += 1
                rows[i].recentFatalities += e.fatalities ?? 0
            } else {
                rows[i].baselineEvents += 1
                rows[i].baselineFatalities += e.fatalities ?? 0
            }
        }
        let recentDays = Double(windows.recentDays), baselineDays = Double(windows.baselineDays)
        let per30 = 30 / recentDays
        for i in rows.indices {
            let r = rows[i]
            if r.baselineEvents > 0 {
                rows[i].rateRatio = (Double(r.recentEvents) / recentDays) / (Double(r.baselineEvents) / baselineDays)
            }
            let perArea = r.areaKm2 > 0 ? 10_000 / r.areaKm2 : 0
            rows[i].score = (Double(r.recentEvents) + r.recentFatalities / 10) * perArea * per30
        }
        let order = rows.indices.sorted { (-rows[$0].score, rows[$0].name) < (-rows[$1].score, rows[$1].name) }
        for (rank, i) in order.enumerated() { rows[i].rank = rank + 1 }
        return order.map { rows[$0] }
    }

    public static func csv(_ rows: [Admin1Summary]) -> String {
        var out = "rank,admin1,area_km2,recent_events,baseline_events,recent_fatalities,baseline_fatalities,rate_ratio,score\n"
        for r in rows {
            let name = r.name.contains(",") || r.name.contains("\"") ? "\"\(r.name.replacingOccurrences(of: "\"", with: "\"\""))\"" : r.name
            out += "\(r.rank),\(name),\(String(format: "%.0f", r.areaKm2)),\(r.recentEvents),\(r.baselineEvents),"
            out += "\(String(format: "%.0f", r.recentFatalities)),\(String(format: "%.0f", r.baselineFatalities)),"
            out += "\(r.rateRatio.map { String(format: "%.3f", $0) } ?? ""),\(String(format: "%.4f", r.score))\n"
        }
        return out
    }

    /// - Parameter windows: when given, each region carries the recent window as ISO 8601 `start`
    ///   and `end` (end exclusive), for kepler.gl's time filter.
    public static func geoJSON(_ rows: [Admin1Summary], regions: AdminRegions, windows: AnalysisWindows? = nil,
                               metadata: [(String, JSONValue)]) -> GeoJSONFeatureCollection {
        let period: [(String, JSONValue)] = windows.map {
            [("start", .string($0.recentStart.startOfDayUTC)), ("end", .string($0.recentEnd.endOfDayUTC))]
        } ?? []
        let geometry = Dictionary(regions.regions.map { ($0.name, $0.geometry) }, uniquingKeysWith: { a, _ in a })
        return GeoJSONFeatureCollection(features: rows.map { r in
            GeoJSONFeature(geometry: geometry[r.name]?.asMultiPolygon, properties: .object([
                ("admin1", .string(r.name)), ("rank", .number(Double(r.rank))),
                ("area_km2", .number(r.areaKm2.rounded())),
                ("recent_events", .number(Double(r.recentEvents))), ("baseline_events", .number(Double(r.baselineEvents))),
                ("recent_fatalities", .number(r.recentFatalities)), ("baseline_fatalities", .number(r.baselineFatalities)),
                ("rate_ratio", r.rateRatio.map { .number($0) } ?? .null), ("score", .number(r.score)),
            ] + period))
        }, foreignMembers: metadata)
    }
}
