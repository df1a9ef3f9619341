import Foundation

/// Names regions: which admin-1 regions an area touches and which places lie in or near it.
/// The report stage supplies one backed by the embedded regions and the gazetteer.
public protocol RegionNamer: Sendable {
    /// Admin-1 names touched by the (lon, lat) geometry; nearest region for areas outside every polygon.
    func admin1Names(for geometry: GeoJSONGeometry) -> [String]
    /// Up to `limit` most populous place names inside the geometry, or nearest to it.
    func placeNames(for geometry: GeoJSONGeometry, limit: Int) -> [String]
}

/// "Previously quiet → now active": counts events within the bandwidth of each cell in a recent
/// and a baseline window, tests whether the recent rate exceeds the baseline rate, and dissolves
/// flagged cells into regions.
public enum ChangeDetector {
    public static func run(incidents: [Incident], area: AreaOfInterest, parameters: ChangeDetectionParameters,
                           namer: RegionNamer? = nil) throws -> ChangeDetectionResult {
        var p = parameters
        guard p.recentDays > 0, p.baselineDays > 0 else { throw DetectionError("the recent and baseline windows must be at least one day") }
        guard p.bandwidthKm.isFinite, p.bandwidthKm > 0 else { throw DetectionError("the bandwidth must be a positive number of km") }
        guard p.alpha > 0, p.alpha < 1 else { throw DetectionError("alpha must be between 0 and 1") }
        let dated = incidents.filter { $0.date != nil }
        let undated = incidents.count - dated.count
        guard let latest = dated.map({ $0.date! }).max() else {
            throw DetectionError("no dated events: the detection needs event dates to form its windows")
        }
        let asOf = p.asOf ?? latest
        p.asOf = asOf
        var notes: [String] = []
        let recentStart = asOf.adding(days: -(p.recentDays - 1))
        let baselineStart = recentStart.adding(days: -p.baselineDays)
        if let first = dated.map({ $0.date! }).min(), first > baselineStart {
            notes.append("the data start on \(first), after the baseline window opens (\(baselineStart)): the baseline covers fewer days than stated, so \"quiet before\" is weaker evidence")
        }
        if asOf < (dated.map { $0.date! }.min()!) {
            notes.append("the as-of date \(asOf) is before the first event: nothing to flag")
        }

        let grid = try AreaGrid.make(area: area, cellSizeKm: p.cellSizeKm)
        var excludedRegionOnly = 0
        var recent: [Incident] = [], baseline: [Incident] = []
        for e in dated {
            let d = e.date!
            guard d >= baselineStart, d <= asOf else { continue }
            if p.excludeRegionOnlyLocations, e.locationPrecision == .regionOnly { excludedRegionOnly += 1; continue }
            if d >= recentStart { recent.append(e) } else { baseline.append(e) }
        }
        if excludedRegionOnly > 0 {
            notes.append("\(excludedRegionOnly) events in the windows are located only to a region (geo precision 3) and were left out of the test")
        }

        // Counts within the bandwidth: a uniform kernel × πh² is exactly the number of events
        // closer than h (the engine is exact for it).
        let recentCounts = try counts(of: recent, grid: grid, bandwidthKm: p.bandwidthKm)
        let baselineCounts = try counts(of: baseline, grid: grid, bandwidthKm: p.bandwidthKm)
        let recentProjected = try grid.project(recent.map(\.location))
        let baselineProjected = try grid.project(baseline.map(\.location))
        // Novelty is judged at the event: a recent event is new when no baseline event lies
        // within the bandwidth of it. Judged at cells alone, an attack 3 km from last month's
        // would light a crescent of "new" cells on its far side, just out of reach of the old one.
        let isNewEvent = newEventFlags(recent: recentProjected, baseline: baselineProjected, bandwidthKm: p.bandwidthKm)
        let newRecentCounts = try counts(of: zip(recent, isNewEvent).filter(\.1).map(\.0), grid: grid, bandwidthKm: p.bandwidthKm)
        let recentDensity = try DensityEngine.compute(
            events: ProjectedEvents(x: recentProjected.x, y: recentProjected.y), grid: grid.spec, kernel: .quartic,
            bandwidthKm: p.bandwidthKm).values

        // Tests on every cell inside the area with any event in either window.
        var tested: [Int] = []
        var pUp: [Double] = [], pDown: [Double] = []
        for i in 0..<grid.spec.cellCount where grid.mask[i] != 0 && recentCounts[i] + baselineCounts[i] > 0 {
            tested.append(i)
            pUp.append(RateComparison.exceedancePValue(recentCount: recentCounts[i], recentDays: Double(p.recentDays),
                                                       baselineCount: baselineCounts[i], baselineDays: Double(p.baselineDays),
                                                       backgroundEventsPerDay: p.backgroundEventsPerDay))
            pDown.append(RateComparison.deficitPValue(recentCount: recentCounts[i], recentDays: Double(p.recentDays),
                                                      baselineCount: baselineCounts[i], baselineDays: Double(p.baselineDays),
                                                      backgroundEventsPerDay: p.backgroundEventsPerDay))
        }
        let qUp = MultipleTesting.benjaminiHochbergQValues(pUp)
        let qDown = MultipleTesting.benjaminiHochbergQValues(pDown)

        var category = [ChangeCategory](repeating: .quiet, count: grid.spec.cellCount)
        var cellP = [Double](repeating: 1, count: grid.spec.cellCount)
        var cellQ = [Double](repeating: 1, count: grid.spec.cellCount)
        for (k, i) in tested.enumerated() {
            let k1 = recentCounts[i], k0 = baselineCounts[i]
            let quietBefore = k0 <= p.quietBaselineMaximum
            let activeNow = k1 >= p.minimumRecentEvents
            if quietBefore {
                // Quiet before: new when a new event reaches the cell; activity that only spills
                // over from places active before flags nothing here.
                if newRecentCounts[i] >= p.minimumRecentEvents {
                    category[i] = .new; cellP[i] = pUp[k]; cellQ[i] = qUp[k]
                }
            } else if !quietBefore && activeNow && qUp[k] < p.alpha {
                category[i] = .escalating; cellP[i] = pUp[k]; cellQ[i] = qUp[k]
            } else if !quietBefore && qDown[k] < p.alpha {
                category[i] = .cooling; cellP[i] = pDown[k]; cellQ[i] = qDown[k]
            } else if !quietBefore && activeNow {
                category[i] = .persistent; cellP[i] = min(pUp[k], pDown[k]); cellQ[i] = min(qUp[k], qDown[k])
            }
        }

        let components = CellDissolver.connectedComponents(categories: category, spec: grid.spec)
        var regions: [FlaggedRegion] = []
        let recentCells = eventCells(recent, projected: recentProjected, grid: grid)
        let baselineCells = eventCells(baseline, projected: baselineProjected, grid: grid)
        for comp in components {
            let pMin = comp.cells.map { cellP[$0] }.min() ?? 1
            let qMin = comp.cells.map { cellQ[$0] }.min() ?? 1
            let significant = comp.category == .persistent ? false : qMin < p.alpha
            if p.significantOnly, !significant { continue }
            let label = Set(comp.cells)
            let reach = Int((p.bandwidthKm * 1000 / grid.spec.cellSizeMeters).rounded(.up))
            let recentHits = eventsNear(label: label, eventCells: recentCells, projected: recentProjected, grid: grid,
                                        reachCells: reach, bandwidthKm: p.bandwidthKm)
            let baselineHits = eventsNear(label: label, eventCells: baselineCells, projected: baselineProjected, grid: grid,
                                          reachCells: reach, bandwidthKm: p.bandwidthKm)
            let cellSet = label
            let geometry = try CellDissolver.lonLatGeometry(spec: grid.spec) { cellSet.contains($0) }
            let recentDates = recentHits.compactMap { recent[$0].date }
            let lastEvent = (recentDates + baselineHits.compactMap { baseline[$0].date }).max()
            let fatalities = recentHits.reduce(0.0) { $0 + (recent[$1].fatalities ?? 0) }
            let admin1 = namer?.admin1Names(for: geometry) ?? []
            let places = namer?.placeNames(for: geometry, limit: 3) ?? []
            let peak = comp.cells.map { recentDensity[$0] }.max() ?? 0
            var region = FlaggedRegion(
                id: 0, category: comp.category, score: -log10(max(pMin, 1e-300)), pValue: pMin, qValue: qMin,
                significant: significant, recentEvents: recentHits.count, baselineEvents: baselineHits.count,
                recentFatalities: fatalities, firstRecentEvent: recentDates.min(), lastEvent: lastEvent,
                cells: comp.cells.count, areaKm2: Double(comp.cells.count) * grid.spec.cellAreaKm2, peakDensity: peak,
                admin1: admin1, places: places, summary: "", geometry: geometry, cellIndices: comp.cells)
            region.summary = summarize(region, parameters: p)
            regions.append(region)
        }
        regions.sort {
            ($0.category, $0.significant ? 0 : 1, -$0.score, $0.id) < ($1.category, $1.significant ? 0 : 1, -$1.score, $1.id)
        }
        for k in regions.indices { regions[k].id = k + 1 }
        return ChangeDetectionResult(parameters: p, asOf: asOf, regions: regions, cellCategories: category,
                                     cellsTested: tested.count, eventsInRecentWindow: recent.count,
                                     eventsInBaselineWindow: baseline.count, excludedRegionOnly: excludedRegionOnly,
                                     undated: undated, notes: notes)
    }

    /// For each recent event, whether no baseline event lies within the bandwidth of it
    /// (projected coordinates, metres; a bucket grid of bandwidth-sized cells keeps it linear).
    static func newEventFlags(recent: (x: [Double], y: [Double]), baseline: (x: [Double], y: [Double]),
                              bandwidthKm: Double) -> [Bool] {
        let h = bandwidthKm * 1000, h2 = h * h
        var buckets: [Int64: [Int]] = [:]
        func key(_ x: Double, _ y: Double) -> (Int64, Int64) { (Int64((x / h).rounded(.down)), Int64((y / h).rounded(.down))) }
        for j in 0..<baseline.x.count {
            let k = key(baseline.x[j], baseline.y[j])
            buckets[k.0 &* 1_000_003 &+ k.1, default: []].append(j)
        }
        return (0..<recent.x.count).map { i in
            let k = key(recent.x[i], recent.y[i])
            for dx in -1...1 {
                for dy in -1...1 {
                    for j in buckets[(k.0 + Int64(dx)) &* 1_000_003 &+ (k.1 + Int64(dy))] ?? [] {
                        let ex = recent.x[i] - baseline.x[j], ey = recent.y[i] - baseline.y[j]
                        if ex * ex + ey * ey < h2 { return false }
                    }
                }
            }
            return true
        }
    }

    /// Events closer than the bandwidth to each cell centre (exact integers).
    static func counts(of events: [Incident], grid: AreaGrid, bandwidthKm: Double) throws -> [Int] {
        guard !events.isEmpty else { return [Int](repeating: 0, count: grid.spec.cellCount) }
        let projected = try grid.project(events.map(\.location))
        let density = try DensityEngine.compute(events: ProjectedEvents(x: projected.x, y: projected.y), grid: grid.spec,
                                                kernel: .uniform, bandwidthKm: bandwidthKm).values
        let area = Double.pi * bandwidthKm * bandwidthKm
        return density.map { Int(($0 * area).rounded()) }
    }

    static func eventCells(_ events: [Incident], projected: (x: [Double], y: [Double]), grid: AreaGrid) -> [(Int, Int)?] {
        (0..<events.count).map { i in
            let c = ((projected.x[i] - grid.spec.westX) / grid.spec.cellSizeMeters).rounded(.down)
            let r = ((grid.spec.northY - projected.y[i]) / grid.spec.cellSizeMeters).rounded(.down)
            guard c.isFinite, r.isFinite, abs(c) < 1e9, abs(r) < 1e9 else { return nil }
            return (Int(c), Int(r))
        }
    }

    /// Indices of events within the bandwidth of any cell centre in `label`.
    static func eventsNear(label: Set<Int>, eventCells: [(Int, Int)?], projected: (x: [Double], y: [Double]), grid: AreaGrid,
                           reachCells: Int, bandwidthKm: Double) -> [Int] {
        let spec = grid.spec
        let h2 = bandwidthKm * bandwidthKm * 1e6
        var hits: [Int] = []
        for (i, cell) in eventCells.enumerated() {
            guard let (c0, r0) = cell else { continue }
            let rLo = max(0, r0 - reachCells - 1), rHi = min(spec.rows - 1, r0 + reachCells + 1)
            let cLo = max(0, c0 - reachCells - 1), cHi = min(spec.columns - 1, c0 + reachCells + 1)
            guard rLo <= rHi, cLo <= cHi else { continue }
            search: for r in rLo...rHi {
                for c in cLo...cHi where label.contains(r * spec.columns + c) {
                    let centre = spec.cellCenter(column: c, row: r)
                    let dx = centre.x - projected.x[i], dy = centre.y - projected.y[i]
                    if dx * dx + dy * dy < h2 { hits.append(i); break search }
                }
            }
        }
        return hits
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
