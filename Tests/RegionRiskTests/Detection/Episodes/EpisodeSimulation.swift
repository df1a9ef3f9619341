import Foundation
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskGeoJSON
@testable import RegionRiskGrid

/// Simulated event histories whose truth is known, for the episode tests: a square area near the
/// equator, homogeneous Poisson or self-exciting (Hawkes) activity, and planted bursts.
/// Written independently of `StationaryHawkesNull` (its own branching simulation).
struct EpisodeSimulation {
    let grid: AreaGrid
    /// Days of the analysis period: baseline then recent window.
    let baselineDays = 365.0, recentDays = 30.0
    var periodDays: Double { baselineDays + recentDays }

    /// A square of `sideDegrees` from (0, 0), 10 km cells.
    init(sideDegrees: Double = 4, cellKm: Double = 10) throws {
        let s = sideDegrees
        let boundary: GeoJSONGeometry = .polygon([[LonLat(lon: 0, lat: 0), LonLat(lon: s, lat: 0), LonLat(lon: s, lat: s),
                                                   LonLat(lon: 0, lat: s), LonLat(lon: 0, lat: 0)]])
        grid = try AreaGrid.make(area: AreaOfInterest(name: "square", boundary: boundary, source: "test"), cellSizeKm: cellKm)
    }

    struct Events {
        var x: [Double] = [], y: [Double] = [], day: [Double] = []
        mutating func append(_ px: Double, _ py: Double, _ t: Double) { x.append(px); y.append(py); day.append(t) }
    }

    /// A uniform point inside the area (rejection from the grid's box), projected metres.
    func uniformPoint(_ rng: inout SplitMix64, where accept: (Double, Double) -> Bool = { _, _ in true }) -> (Double, Double) {
        let spec = grid.spec
        while true {
            let x = spec.westX + rng.nextDouble() * Double(spec.columns) * spec.cellSizeMeters
            let y = spec.northY - rng.nextDouble() * Double(spec.rows) * spec.cellSizeMeters
            if grid.isInside(x: x, y: y), accept(x, y) { return (x, y) }
        }
    }

    /// Homogeneous Poisson over the area and period, `perDay` events a day (optionally only where `accept`).
    func poisson(perDay: Double, _ rng: inout SplitMix64, where accept: (Double, Double) -> Bool = { _, _ in true }) -> Events {
        var e = Events()
        for _ in 0..<rng.nextPoisson(mean: perDay * periodDays) {
            let p = uniformPoint(&rng, where: accept)
            e.append(p.0, p.1, rng.nextDouble() * periodDays)
        }
        return e
    }

    /// A stationary Hawkes process: immigrants `perDay` uniform over the area from 300 days before
    /// the period (burn-in), each event with Poisson(`branching`) offspring after Exp(mean
    /// `meanDelayDays`) days, displaced N(0, `sigmaKm`²) per axis; events outside the area or the
    /// period are dropped (their offspring still count).
    func hawkes(perDay: Double, branching: Double, meanDelayDays: Double, sigmaKm: Double, _ rng: inout SplitMix64) -> Events {
        let burn = 300.0
        var queue: [(Double, Double, Double)] = []
        for _ in 0..<rng.nextPoisson(mean: perDay * (periodDays + burn)) {
            let p = uniformPoint(&rng)
            queue.append((p.0, p.1, -burn + rng.nextDouble() * (periodDays + burn)))
        }
        var e = Events()
        var head = 0
        while head < queue.count {
            let (x, y, t) = queue[head]; head += 1
            if t >= 0, t < periodDays, grid.isInside(x: x, y: y) { e.append(x, y, t) }
            for _ in 0..<rng.nextPoisson(mean: branching) {
                let child = t - meanDelayDays * log(max(1 - rng.nextDouble(), 1e-300))
                if child < periodDays {
                    queue.append((x + sigmaKm * 1000 * rng.nextGaussian(), y + sigmaKm * 1000 * rng.nextGaussian(), child))
                }
            }
        }
        return e
    }

    /// Runs the episode test on the events (the recent window is the last `recentDays`).
    func test(_ e: Events, bandwidthKm: Double = 50, replicates: Int, seed: UInt64)
        -> (episodes: [[Int]], recentIndex: [Int], outcome: EpisodeSignificance.Outcome)
    {
        let isRecent = e.day.map { $0 >= baselineDays }
        let recentIndex = e.day.indices.filter { isRecent[$0] }
        let episodes = EpisodeGrouping.singleLinkage(x: recentIndex.map { e.x[$0] }, y: recentIndex.map { e.y[$0] },
                                                     linkMeters: bandwidthKm * 1000)
        let outcome = EpisodeSignificance.run(
            EpisodeSignificance.Input(grid: grid, bandwidthMeters: bandwidthKm * 1000, x: e.x, y: e.y, day: e.day, isRecent: isRecent,
                                      windowStart: baselineDays, windowEnd: periodDays, periodStart: 0,
                                      replicates: replicates, seed: seed),
            episodes: episodes)
        return (episodes, recentIndex, outcome)
    }
}
