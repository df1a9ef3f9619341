import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeometry

/// Incidents with their positions in an analysis run's CRS: projected once, then shared by every
/// stage of the run (detection, density, the report), which select from it by index.
public struct ProjectedIncidents: Sendable {
    public let incidents: [Incident]
    /// Positions in the run's CRS, metres; `x[i]`, `y[i]` belong to `incidents[i]`.
    public let x: [Double]
    public let y: [Double]

    public var count: Int { incidents.count }

    package init(incidents: [Incident], x: [Double], y: [Double]) {
        precondition(incidents.count == x.count && x.count == y.count, "one position per incident")
        self.incidents = incidents
        self.x = x
        self.y = y
    }

    /// The incidents at `indices` (in that order) with their positions, not projected again.
    public func subset(_ indices: [Int]) -> ProjectedIncidents {
        ProjectedIncidents(incidents: indices.map { incidents[$0] }, x: indices.map { x[$0] }, y: indices.map { y[$0] })
    }
}

/// The events one analysis compares: its two windows and the dated events in each, projected
/// once into the run's CRS. `AnalysisRun.windowedIncidents` builds it; `ChangeDetector` and the
/// report's density take it as it is.
public struct WindowedIncidents: Sendable {
    public let windows: AnalysisWindows
    /// Every dated event in either window (baseline start … as-of), in input order.
    public let inWindows: ProjectedIncidents
    /// Indices into `inWindows` of the baseline window's events, in input order.
    public let baselineIndices: [Int]
    /// Indices into `inWindows` of the recent window's events, ordered by (date, source event id).
    public let recentIndices: [Int]
    /// Earliest and latest event date of the whole input (not only the windows).
    public let firstDate: CivilDate
    public let latestDate: CivilDate
    /// Input events without a date (in no window).
    public let undatedCount: Int

    public var asOf: CivilDate { windows.recentEnd }
}

extension AnalysisRun {
    /// Positions of `incidents` in the run's CRS (metres), in order.
    public func project(_ incidents: [Incident]) throws -> ProjectedIncidents {
        var xs = incidents.map(\.location.lon), ys = incidents.map(\.location.lat)
        try Projection(from: "EPSG:4326", to: crs).forward(x: &xs, y: &ys)
        return ProjectedIncidents(incidents: incidents, x: xs, y: ys)
    }

    /// The windows ending on `asOf` (else on the latest dated event) and their events, projected
    /// once. Nil when no event has a date.
    public func windowedIncidents(_ incidents: [Incident], asOf: CivilDate?, recentDays: Int,
                                  baselineDays: Int) throws -> WindowedIncidents? {
        var first: CivilDate?, latest: CivilDate?, undated = 0
        for e in incidents {
            guard let d = e.date else { undated += 1; continue }
            if first.map({ d < $0 }) ?? true { first = d }
            if latest.map({ d > $0 }) ?? true { latest = d }
        }
        guard let first, let latest else { return nil }
        let windows = AnalysisWindows(asOf: asOf ?? latest, recentDays: recentDays, baselineDays: baselineDays)
        let inWindows = try project(incidents.filter { $0.date.map(windows.contains) ?? false })
        var recent: [Int] = [], baseline: [Int] = []
        for (i, e) in inWindows.incidents.enumerated() {
            if let d = e.date, windows.isRecent(d) { recent.append(i) } else { baseline.append(i) }
        }
        let events = inWindows.incidents
        recent.sort { (events[$0].date ?? latest, events[$0].sourceEventID) < (events[$1].date ?? latest, events[$1].sourceEventID) }
        return WindowedIncidents(windows: windows, inWindows: inWindows, baselineIndices: baseline, recentIndices: recent,
                                 firstDate: first, latestDate: latest, undatedCount: undated)
    }
}
