import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeometry
import RegionRiskGeoJSON
import RegionRiskGrid

/// Names regions: which admin-1 regions an area touches and which places lie in or near it.
/// The report stage supplies one backed by the embedded regions and the gazetteer.
public protocol RegionNamer: Sendable {
    /// Admin-1 names touched by the (lon, lat) geometry; nearest region for areas outside every polygon.
    func admin1Names(for geometry: GeoJSONGeometry) -> [String]
    /// Up to `limit` most populous place names inside the geometry, or nearest to it.
    func placeNames(for geometry: GeoJSONGeometry, limit: Int) -> [String]
    /// Up to `limit` names for a region from its own incidents (see `IncidentPlaceNaming`).
    func incidentPlaceNames(_ incidents: [Incident], limit: Int) -> [String]
}

/// "Previously quiet → now active", by episode: recent events are grouped into episodes (single
/// linkage at the bandwidth), each episode becomes one region whose footprint is the area within
/// the bandwidth of its events, and each episode is tested as a unit against a fitted stationary
/// null (`EpisodeSignificance`), with Benjamini–Hochberg q-values over the episodes tested.
public enum ChangeDetector {
    /// Detection on the area's default equal-area grid.
    public static func run(incidents: [Incident], area: AreaOfInterest, parameters: ChangeDetectionParameters,
                           namer: RegionNamer? = nil) throws -> ChangeDetectionResult {
        try run(AnalysisRun(area: area), incidents: incidents, parameters: parameters, namer: namer)
    }

    /// Detection on the run's grid (its area and CRS); the windows end on `parameters.asOf`,
    /// else on the latest dated event.
    public static func run(_ analysis: AnalysisRun, incidents: [Incident], parameters: ChangeDetectionParameters,
                           namer: RegionNamer? = nil) throws -> ChangeDetectionResult {
        try checkParameters(parameters)
        guard let events = try analysis.windowedIncidents(incidents, asOf: parameters.asOf, recentDays: parameters.recentDays,
                                                          baselineDays: parameters.baselineDays) else {
            throw DetectionError("no dated events: the detection needs event dates to form its windows")
        }
        return try run(analysis, events: events, parameters: parameters, namer: namer)
    }

    /// Detection on events already split into the run's windows and projected
    /// (`AnalysisRun.windowedIncidents`); `parameters`' windows must be the ones `events` was made with.
    public static func run(_ analysis: AnalysisRun, events: WindowedIncidents, parameters: ChangeDetectionParameters,
                           namer: RegionNamer? = nil) throws -> ChangeDetectionResult {
        var p = parameters
        try checkParameters(p)
        let windows = events.windows
        guard windows.recentDays == p.recentDays, windows.baselineDays == p.baselineDays,
              p.asOf.map({ $0 == windows.recentEnd }) ?? true else {
            throw DetectionError("the events were split into windows other than the detection's parameters give")
        }
        let asOf = windows.recentEnd, first = events.firstDate, undated = events.undatedCount
        p.asOf = asOf
        var notes: [String] = []
        let baselineStart = windows.baselineStart
        if first > baselineStart {
            notes.append("the data start on \(first), after the baseline window opens (\(baselineStart)): the baseline covers fewer days than stated, so \"quiet before\" is weaker evidence")
        }
        if asOf < first {
            notes.append("the as-of date \(asOf) is before the first event: nothing to flag")
        }

        let grid = try analysis.grid(cellSizeKm: p.cellSizeKm)
        // Each window was projected once (`WindowedIncidents`); everything below works on those coordinates.
        let all = events.inWindows
        let keep = { (i: Int) in !(p.excludeRegionOnlyLocations && all.incidents[i].locationPrecision == .regionOnly) }
        let recentIndices = events.recentIndices.filter(keep), baselineIndices = events.baselineIndices.filter(keep)
        let excludedRegionOnly = events.recentIndices.count + events.baselineIndices.count - recentIndices.count - baselineIndices.count
        if excludedRegionOnly > 0 {
            notes.append("\(excludedRegionOnly) events in the windows are located only to a region (geo precision 3) and were left out of the test")
        }
        let recentProjected = all.subset(recentIndices), baselineProjected = all.subset(baselineIndices)
        let recent = recentProjected.incidents, baseline = baselineProjected.incidents
        let h = p.bandwidthKm * 1000
        let episodes = EpisodeGrouping.singleLinkage(x: recentProjected.x, y: recentProjected.y, linkMeters: h)
        let baselineNear = baselineEventsNear(episodes: episodes, recent: (recentProjected.x, recentProjected.y),
                                              baseline: (baselineProjected.x, baselineProjected.y), bandwidthMeters: h)

        // Significance of every episode, as a unit.
        let dayZero = Double(baselineStart.dayNumber)
        let allX = baselineProjected.x + recentProjected.x, allY = baselineProjected.y + recentProjected.y
        let days = (baseline + recent).map { Double(($0.date ?? asOf).dayNumber) - dayZero + 0.5 }
        let test = EpisodeSignificance.run(
            EpisodeSignificance.Input(
                grid: grid, bandwidthMeters: h, x: allX, y: allY, day: days,
                isRecent: [Bool](repeating: false, count: baseline.count) + [Bool](repeating: true, count: recent.count),
                windowStart: Double(windows.recentStart.dayNumber) - dayZero, windowEnd: Double(asOf.dayNumber) - dayZero + 1,
                periodStart: 0, replicates: p.monteCarloReplicates, seed: p.seed),
            episodes: episodes)
        let quietBefore = baselineNear.map { $0.count <= p.quietBaselineMaximum }
        let qUp = MultipleTesting.benjaminiHochbergQValues(test.excessP)
        let activeBefore = episodes.indices.filter { !quietBefore[$0] }
        let qDownActive = MultipleTesting.benjaminiHochbergQValues(activeBefore.map { test.deficitP[$0] })
        var qDown = [Double](repeating: 1, count: episodes.count)
        for (k, i) in activeBefore.enumerated() { qDown[i] = qDownActive[k] }
        if !episodes.isEmpty {
            let fit = test.null
            notes.append(String(format: "significance: each of the %d episodes tested as a unit against a stationary self-exciting null, its clustering fitted to the %d baseline events (branching ratio %.2f, mean trigger delay %.1f days, trigger spread %.1f km), its background to all %d events (%.3g events/day), with %d Monte Carlo replicates (%d replicate episodes); Benjamini–Hochberg over the episodes",
                                    episodes.count, baseline.count, fit.branchingRatio, 1 / fit.decayPerDay, fit.triggerSigmaMeters / 1000,
                                    days.count, fit.backgroundPerDay, p.monteCarloReplicates, test.replicateEpisodes))
        }

        let recentDensity = recent.isEmpty ? [Double](repeating: 0, count: grid.spec.cellCount)
            : try DensityEngine.compute(events: ProjectedEvents(x: recentProjected.x, y: recentProjected.y), grid: grid.spec,
                                        kernel: .quartic, bandwidthKm: p.bandwidthKm).values
        let footprintCells = FootprintCells(grid: grid, radiusMeters: h)
        let areaShape = try projectedArea(analysis.area, grid: grid)
        var category = [ChangeCategory](repeating: .quiet, count: grid.spec.cellCount)
        var touched = Set<Int>()
        var regions: [FlaggedRegion] = []
        // One transformation for every region: PROJ takes ~24M instructions (its database
        // lookups) to create one, which per region was a seventh of `flag` on 100k events.
        let toLonLat = try Projection(from: "EPSG:4326", to: grid.spec.crs)
        for (k, e) in episodes.enumerated() where e.count >= p.minimumRecentEvents {
            let cat: ChangeCategory, pValue: Double, qValue: Double, significant: Bool
            if quietBefore[k] {
                cat = .new; pValue = test.excessP[k]; qValue = qUp[k]; significant = qUp[k] < p.alpha
            } else if qUp[k] < p.alpha {
                cat = .escalating; pValue = test.excessP[k]; qValue = qUp[k]; significant = true
            } else if qDown[k] < p.alpha {
                cat = .cooling; pValue = test.deficitP[k]; qValue = qDown[k]; significant = true
            } else {
                cat = .persistent; pValue = test.excessP[k]; qValue = qUp[k]; significant = false
            }
            if p.significantOnly, !significant { continue }
            let xs = e.map { recentProjected.x[$0] }, ys = e.map { recentProjected.y[$0] }
            let cells = footprintCells.cells(aroundX: xs, y: ys)
            for i in cells where cat < category[i] { category[i] = cat }
            touched.formUnion(cells)
            let shape = try footprint(x: xs, y: ys, radiusMeters: h, clippedTo: areaShape)
            let geometry = try CellDissolver.toLonLat(shape, projection: toLonLat)
            let own = e.map { recent[$0] }
            let near = baselineNear[k].map { baseline[$0] }
            let lastEvent = (own.compactMap(\.date) + near.compactMap(\.date)).max()
            var region = FlaggedRegion(
                id: 0, category: cat, score: -log10(max(pValue, 1e-300)), pValue: pValue, qValue: qValue,
                significant: significant, recentEvents: own.count, baselineEvents: near.count,
                recentFatalities: own.reduce(0.0) { $0 + ($1.fatalities ?? 0) }, firstRecentEvent: own.compactMap(\.date).min(),
                lastEvent: lastEvent, cells: cells.count, areaKm2: try shape.area() / 1e6,
                peakDensity: cells.map { recentDensity[$0] }.max() ?? 0,
                admin1: namer?.admin1Names(for: geometry) ?? [],
                places: namer?.incidentPlaceNames(own, limit: 4) ?? IncidentPlaceNaming.regionNames(own, gazetteer: nil, notable: [], limit: 4),
                summary: "", geometry: geometry, cellIndices: cells, incidents: own, expectedEvents: test.expected[k])
            region.summary = summarize(region, parameters: p)
            regions.append(region)
        }
        regions.sort { listedBefore($0, $1, asOf: asOf) }
        for k in regions.indices { regions[k].id = k + 1 }
        return ChangeDetectionResult(parameters: p, asOf: asOf, regions: regions, cellCategories: category,
                                     cellsTested: touched.count, episodesTested: episodes.count, null: episodes.isEmpty ? nil : test.null,
                                     eventsInRecentWindow: recent.count,
                                     eventsInBaselineWindow: baseline.count, excludedRegionOnly: excludedRegionOnly,
                                     undated: undated, notes: notes, crs: analysis.crsJSON)
    }

    static func checkParameters(_ p: ChangeDetectionParameters) throws {
        try p.checkLimits()
        guard p.monteCarloReplicates >= 0, p.monteCarloReplicates <= 100_000 else {
            throw DetectionError("the number of Monte Carlo replicates must be between 0 and 100000")
        }
    }

    /// Table order: the most urgent category first, significant first, strongest evidence first,
    /// then the earliest episode (ties broken by the first event id, so the order is stable).
    static func listedBefore(_ a: FlaggedRegion, _ b: FlaggedRegion, asOf: CivilDate) -> Bool {
        if a.category != b.category { return a.category < b.category }
        if a.significant != b.significant { return a.significant }
        if a.score != b.score { return a.score > b.score }
        let da = a.firstRecentEvent ?? asOf, db = b.firstRecentEvent ?? asOf
        if da != db { return da < db }
        return (a.incidents.first?.sourceEventID ?? "") < (b.incidents.first?.sourceEventID ?? "")
    }

    /// For each episode, the baseline events (indices, ascending) within the bandwidth of any of
    /// its events (`dx² + dy² < h²`, recent minus baseline): the events a footprint holds from the
    /// baseline window.
    ///
    /// The recent events are bucketed at the bandwidth and, within a bucket, ordered by episode;
    /// each baseline event then looks at the runs of one episode in the 3 × 3 buckets around it and
    /// stops a run at its first event within the bandwidth, or skips it when the run's bounding box
    /// is already too far (`PointBox`). The same pairs as checking every recent event against every
    /// baseline event, in time about linear in the events of a dense cluster.
    static func baselineEventsNear(episodes: [[Int]], recent: (x: [Double], y: [Double]), baseline: (x: [Double], y: [Double]),
                                   bandwidthMeters h: Double) -> [[Int]] {
        var out = [[Int]](repeating: [], count: episodes.count)
        let recentCount = min(recent.x.count, recent.y.count)
        var episodeOf = [Int](repeating: -1, count: recentCount)
        for (k, e) in episodes.enumerated() { for i in e where i < recentCount { episodeOf[i] = k } }
        let h2 = h * h
        guard h2 > 0 else { return out }
        let index = BucketIndex(x: recent.x, y: recent.y, size: h) { episodeOf[$0] >= 0 }
        // Runs of one episode within each bucket: run r covers runMembers[runStart[r] ..< runStart[r + 1]].
        var runEpisode: [Int] = [], runStart: [Int] = [], runBox: [PointBox] = [], runMembers: [Int] = []
        var bucketRuns = [Int](repeating: 0, count: index.bucketCount + 1)
        runMembers.reserveCapacity(index.members.count)
        for b in 0..<index.bucketCount {
            let sorted = index.points(b).sorted { (episodeOf[$0], $0) < (episodeOf[$1], $1) }
            for (n, i) in sorted.enumerated() {
                if n == 0 || episodeOf[sorted[n - 1]] != episodeOf[i] {
                    runEpisode.append(episodeOf[i]); runStart.append(runMembers.count); runBox.append(PointBox())
                }
                runMembers.append(i)
                runBox[runBox.count - 1].add(recent.x[i], recent.y[i])
            }
            bucketRuns[b + 1] = runEpisode.count
        }
        runStart.append(runMembers.count)
        var marked = [Int](repeating: -1, count: episodes.count)  // the last baseline event added to each episode
        for j in 0..<min(baseline.x.count, baseline.y.count) {
            let bx = baseline.x[j], by = baseline.y[j]
            let k = BucketKey(bx, by, h)
            for dx in Int64(-1)...1 {
                for dy in Int64(-1)...1 {
                    guard let b = index.bucket(BucketKey(column: k.column &+ dx, row: k.row &+ dy)) else { continue }
                    for r in bucketRuns[b] ..< bucketRuns[b + 1] where marked[runEpisode[r]] != j {
                        guard runBox[r].squaredDistance(bx, by) < h2 else { continue }
                        for i in runMembers[runStart[r] ..< runStart[r + 1]] {
                            let ex = recent.x[i] - bx, ey = recent.y[i] - by
                            if ex * ex + ey * ey < h2 {
                                marked[runEpisode[r]] = j
                                out[runEpisode[r]].append(j)
                                break
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The area of interest in the grid's CRS, repaired when projecting left it invalid.
    static func projectedArea(_ area: AreaOfInterest, grid: AreaGrid) throws -> Geometry {
        let projection = try Projection(from: "EPSG:4326", to: grid.spec.crs)
        let shape = try Geometry(geoJSON: area.boundary).transformed { xs, ys in try projection.forward(x: &xs, y: &ys) }
        return try shape.isValid() ? shape : shape.repairedPolygonal()
    }

    /// The area within `radiusMeters` of the points (projected), clipped to the area of interest.
    static func footprint(x: [Double], y: [Double], radiusMeters: Double, clippedTo area: Geometry) throws -> Geometry {
        let discs = try x.indices.map { try Geometry.point(x: x[$0], y: y[$0]).buffer(radiusMeters, quadrantSegments: 16) }
        return try Geometry.unaryUnion(discs).intersection(area)
    }

    static func summarize(_ r: FlaggedRegion, parameters p: ChangeDetectionParameters) -> String {
        let where_: String
        if r.places.isEmpty {
            where_ = r.admin1.isEmpty ? "" : " in \(r.admin1.joined(separator: ", "))"
        } else {
            let names = r.places.count > 1 ? r.places.dropLast().joined(separator: ", ") + " and " + r.places.last! : r.places[0]
            let regionText = r.admin1.isEmpty ? "" : " (\(r.admin1.joined(separator: ", ")) region\(r.admin1.count > 1 ? "s" : ""))"
            where_ = " around \(names)\(regionText)"
        }
        let events = "\(r.recentEvents) event\(r.recentEvents == 1 ? "" : "s") in the last \(p.recentDays) days"
        let before = r.baselineEvents == 0 ? "none in the \(p.baselineDays) days before"
            : "\(r.baselineEvents) in the \(p.baselineDays) days before"
        let evidence = r.significant ? String(format: "significant, q = %.2g", r.qValue)
            : String(format: "not yet significant, p = %.2g", r.pValue)
        let lead: String
        switch r.category {
        case .new: lead = "New activity"
        case .escalating: lead = "Escalation"
        case .persistent: lead = "Continuing activity"
        case .cooling: lead = "Cooling"
        case .quiet: lead = "Quiet"
        }
        return "\(lead)\(where_): \(events), \(before) (\(evidence))"
    }
}

/// A detection could not run.
public struct DetectionError: LocalizedError, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var errorDescription: String? { message }
}
