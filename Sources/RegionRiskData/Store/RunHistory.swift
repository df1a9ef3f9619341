import Foundation
import RegionRiskGeoJSON
import RegionRiskGeometry

/// Where a report's run history lives: the incident store when the report reads one (table
/// `report_run`), else `history.json` in the reports root.
public protocol RunHistoryStore {
    func loadHistory() throws -> RunHistory
    func appendHistory(_ entry: RunHistory.Entry) throws
}

/// What the previous runs flagged, to tell new regions from continuing and ended ones.
/// Regions are matched across runs by their outlines: a region continues when it overlaps a
/// region flagged last time.
public struct RunHistory: Sendable {
    public struct Entry: Sendable {
        public var asOf: String
        public var regions: [(label: String, category: String, geometry: GeoJSONGeometry)]
        public init(asOf: String, regions: [(label: String, category: String, geometry: GeoJSONGeometry)]) {
            self.asOf = asOf
            self.regions = regions
        }
    }

    public var runs: [Entry]

    public init(runs: [Entry]) { self.runs = runs }

    public static func parse(_ data: Data) throws -> RunHistory {
        let json = try JSONValue.parse(data)
        var runs: [Entry] = []
        for run in json["runs"]?.arrayValue ?? [] {
            var regions: [(String, String, GeoJSONGeometry)] = []
            for r in run["regions"]?.arrayValue ?? [] {
                guard let g = r["geometry"], let geometry = try? GeoJSONGeometry(json: g) else { continue }
                regions.append((r["label"]?.stringValue ?? "", r["category"]?.stringValue ?? "", geometry))
            }
            runs.append(Entry(asOf: run["as_of"]?.stringValue ?? "", regions: regions))
        }
        return RunHistory(runs: runs)
    }

    /// Keeps the last `keep` runs.
    public func appending(_ entry: Entry, keep: Int = 60) -> RunHistory {
        RunHistory(runs: Array((runs + [entry]).suffix(keep)))
    }

    public var json: JSONValue {
        .object([("runs", .array(runs.map { run in
            .object([("as_of", .string(run.asOf)), ("regions", .array(run.regions.map { r in
                .object([("label", .string(r.label)), ("category", .string(r.category)), ("geometry", r.geometry.json(decimals: 5))])
            }))])
        }))])
    }

    /// Compares this run's regions with the previous run's: indices of regions new since then,
    /// indices continuing, and labels of previous regions that ended.
    public func compare(_ current: [(label: String, category: String, geometry: GeoJSONGeometry)])
        -> (previousAsOf: String?, new: [Int], continuing: [Int], ended: [String])
    {
        guard let previous = runs.last else { return (nil, Array(current.indices), [], []) }
        func overlaps(_ a: GeoJSONGeometry, _ b: GeoJSONGeometry) -> Bool {
            guard let ga = try? Geometry(geoJSON: a), let gb = try? Geometry(geoJSON: b) else { return false }
            return (try? ga.intersects(gb)) == true
        }
        var new: [Int] = [], continuing: [Int] = []
        var matched = Set<Int>()
        for (i, r) in current.enumerated() {
            let hits = previous.regions.indices.filter { overlaps(previous.regions[$0].geometry, r.geometry) }
            if hits.isEmpty { new.append(i) } else { continuing.append(i); matched.formUnion(hits) }
        }
        let ended = previous.regions.indices.filter { !matched.contains($0) }.map { previous.regions[$0].label }
        return (previous.asOf, new, continuing, ended)
    }
}
