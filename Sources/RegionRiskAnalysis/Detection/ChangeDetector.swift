import Foundation
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGrid

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
    /// Detection on the area's default equal-area grid.
    public static func run(incidents: [Incident], area: AreaOfInterest, parameters: ChangeDetectionParameters,
                           namer: RegionNamer? = nil) throws -> ChangeDetectionResult {
        try run(AnalysisRun(area: area), incidents: incidents, parameters: parameters, namer: namer)
    }

    /// Detection on the run's grid (its area and CRS); the windows end on `parameters.asOf`,
    /// else on the latest dated event.
    public static func run(_ analysis: AnalysisRun, incidents: [Incident], parameters: ChangeDetectionParameters,
                           namer: RegionNamer? = nil) throws -> ChangeDetectionResult {
        var p = parameters
        guard p.recentDays > 0, p.baselineDays > 0 else { throw DetectionError("the recent and baseline windows must be at least one day") }
        guard p.bandwidthKm.isFinite, p.bandwidthKm > 0 else { throw DetectionError("the bandwidth must be a positive number of km") }
        guard p.alpha > 0, p.alpha < 1 else { throw DetectionError("alpha must be between 0 and 1") }
        let dated = incidents.filter { $0.date != nil }
        let undated = incidents.count - dated.count
        let dates = dated.map { $0.date! }
        guard let latest = dates.max(), let first = dates.min() else {
            throw DetectionError("no dated events: the detection needs event dates to form its windows")
        }
        let asOf = p.asOf ?? latest
        p.asOf = asOf
        var notes: [String] = []
        let windows = AnalysisWindows(asOf: asOf, recentDays: p.recentDays, baselineDays: p.baselineDays)
        let baselineStart = windows.baselineStart
        if first > baselineStart {
            notes.append("the data start on \(first), after the baseline window opens (\(baselineStart)): the baseline covers fewer days than stated, so \"quiet before\" is weaker evidence")
        }
        if asOf < first {
            notes.append("the as-of date \(asOf) is before the first event: nothing to flag")
        }

        let grid = try analysis.grid(cellSizeKm: p.cellSizeKm)
        var excludedRegionOnly = 0
        var recent: [Incident] = [], baseline: [Incident] = []
        for e in dated {
            let d = e.date!
            guard windows.contains(d) else { continue }
            if p.excludeRegionOnlyLocations, e.locationPrecision == .regionOnly { excludedRegionOnly += 1; continue }
            if windows.isRecent(d) { recent.append(e) } else { baseline.append(e) }
        }
        if excludedRegionOnly > 0 {
            notes.append("\(excludedRegionOnly) events in the windows are located only to a region (geo precision 3) and were left out of the test")
        }

        // Counts within the bandwidth: a uniform kernel × πh² is exactly the number of events
        // closer than h (the engine is exact for it).
        // Each window is projected once; everything below works on those coordinates.
        let recentProjected = try grid.project(recent.map(\.location))
        let baselineProjected = try grid.project(baseline.map(\.location))
        let recentCounts = try counts(recentProjected, grid: grid, bandwidthKm: p.bandwidthKm)
        let baselineCounts = try counts(baselineProjected, grid: grid, bandwidthKm: p.bandwidthKm)
        // Novelty is judged at the event: a recent event is new when no baseline event lies
        // within the bandwidth of it. Judged at cells alone, an attack 3 km from last month's
        // would light a crescent of "new" cells on its far side, just out of reach of the old one.
        let isNewEvent = newEventFlags(recent: recentProjected, baseline: baselineProjected, bandwidthKm: p.bandwidthKm)
        let newIndices = isNewEvent.indices.filter { isNewEvent[$0] }
        let newRecentCounts = try counts((newIndices.map { recentProjected.x[$0] }, newIndices.map { recentProjected.y[$0] }),
                                         grid: grid, bandwidthKm: p.bandwidthKm)
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

        let components = CellDissolver.connectedComponents(categories: category, spec: grid.spec, skip: { $0 == .quiet })
        var regions: [FlaggedRegion] = []
        // Which regions each event reaches, in one pass over the events.
        var label = [Int32](repeating: -1, count: grid.spec.cellCount)
        for (k, comp) in components.enumerated() { for i in comp.cells { label[i] = Int32(k) } }
        let recentHitsByRegion = eventsNear(regionLabels: label, regionCount: components.count, projected: recentProjected,
                                            grid: grid, bandwidthKm: p.bandwidthKm)
        let baselineHitsByRegion = eventsNear(regionLabels: label, regionCount: components.count, projected: baselineProjected,
                                              grid: grid, bandwidthKm: p.bandwidthKm)
        for (k, comp) in components.enumerated() {
            let pMin = comp.cells.map { cellP[$0] }.min() ?? 1
            let qMin = comp.cells.map { cellQ[$0] }.min() ?? 1
            let significant = comp.category == .persistent ? false : qMin < p.alpha
            if p.significantOnly, !significant { continue }
            let recentHits = recentHitsByRegion[k], baselineHits = baselineHitsByRegion[k]
            let geometry = try CellDissolver.lonLatGeometry(spec: grid.spec) { label[$0] == Int32(k) }
            let recentDates = recentHits.compactMap { recent[$0].date }
            let lastEvent = (recentDates + baselineHits.compactMap { baseline[$0].date }).max()
            let fatalities = recentHits.reduce(0.0) { $0 + (recent[$1].fatalities ?? 0) }
            let admin1 = namer?.admin1Names(for: geometry) ?? []
            let places = namer?.placeNames(for: geometry, limit: 4) ?? []
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
                                     undated: undated, notes: notes, crs: analysis.crsJSON)
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
    static func counts(_ projected: (x: [Double], y: [Double]), grid: AreaGrid, bandwidthKm: Double) throws -> [Int] {
        guard !projected.x.isEmpty else { return [Int](repeating: 0, count: grid.spec.cellCount) }
        let density = try DensityEngine.compute(events: ProjectedEvents(x: projected.x, y: projected.y), grid: grid.spec,
                                                kernel: .uniform, bandwidthKm: bandwidthKm).values
        let area = Double.pi * bandwidthKm * bandwidthKm
        return density.map { Int(($0 * area).rounded()) }
    }

    /// For each region, the indices of events within the bandwidth of any of its cell centres:
    /// each event scans the cells within its reach once and notes the regions it finds there.
    static func eventsNear(regionLabels label: [Int32], regionCount: Int, projected: (x: [Double], y: [Double]),
                           grid: AreaGrid, bandwidthKm: Double) -> [[Int]] {
        let spec = grid.spec, cs = spec.cellSizeMeters
        let h = bandwidthKm * 1000, h2 = h * h
        var hits = [[Int]](repeating: [], count: regionCount)
        guard regionCount > 0 else { return hits }
        var seen: [Int32] = []
        for i in 0..<projected.x.count {
            let x = projected.x[i], y = projected.y[i]
            // Rows and columns whose centres can lie within h of the event.
            let cLo = max(0, Int(((x - h - spec.westX) / cs - 0.5).rounded(.up)))
            let cHi = min(spec.columns - 1, Int(((x + h - spec.westX) / cs - 0.5).rounded(.down)))
            let rLo = max(0, Int(((spec.northY - y - h) / cs - 0.5).rounded(.up)))
            let rHi = min(spec.rows - 1, Int(((spec.northY - y + h) / cs - 0.5).rounded(.down)))
            guard cLo <= cHi, rLo <= rHi else { continue }
            seen.removeAll(keepingCapacity: true)
            for r in rLo...rHi {
                let dy = spec.northY - (Double(r) + 0.5) * cs - y
                for c in cLo...cHi {
                    let k = label[r * spec.columns + c]
                    guard k >= 0, !seen.contains(k) else { continue }
                    let dx = spec.westX + (Double(c) + 0.5) * cs - x
                    if dx * dx + dy * dy < h2 { seen.append(k) }
                }
            }
            for k in seen { hits[Int(k)].append(i) }
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
