import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskGrid

/// The bucketed episode code against all-pairs scans on random inputs where the buckets matter:
/// dense clusters (many points per bucket), exact duplicates, points exactly the distance apart
/// on an axis or a bucket edge, points off the grid, and coordinates PROJ could not project.
final class SpatialIndexTests: XCTestCase {
    /// Clusters of up to a few hundred points a few hundred metres to tens of km wide, plus
    /// lattice points spaced exactly `h` (on bucket edges when `h` divides them), a duplicate and
    /// the odd non-finite point.
    static func clustered(_ rng: inout SplitMix64, h: Double, origin: (Double, Double) = (0, 0)) -> (x: [Double], y: [Double]) {
        var x: [Double] = [], y: [Double] = []
        for _ in 0..<(1 + Int(rng.next() % 6)) {
            let cx = origin.0 + rng.nextDouble() * 8 * h, cy = origin.1 + rng.nextDouble() * 8 * h
            let spread = h * (0.01 + rng.nextDouble() * 1.5)
            for _ in 0..<Int(rng.next() % 300) {
                x.append(cx + spread * rng.nextGaussian()); y.append(cy + spread * rng.nextGaussian())
            }
        }
        for k in 0..<Int(rng.next() % 8) {
            x.append(origin.0 + Double(k) * h); y.append(origin.1 + Double(k % 3) * h)
        }
        if let last = x.last, rng.nextDouble() < 0.5 { x.append(last); y.append(y[y.count - 1]) }
        if rng.nextDouble() < 0.3 { x.append(.nan); y.append(0) }
        if rng.nextDouble() < 0.3 { x.append(.infinity); y.append(origin.1) }
        return (x, y)
    }

    static func close(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, _ h: Double) -> Bool {
        let ex = ax - bx, ey = ay - by
        return ex * ex + ey * ey < h * h
    }

    func testSingleLinkageEqualsAllPairsOnDenseClusters() {
        var rng = SplitMix64(seed: 14)
        for trial in 0..<60 {
            let h = [1_000.0, 5_000, 50_000, 12_345.678][trial % 4]
            let origin = trial % 5 == 0 ? (-3e6, 2e6) : (0.0, 0.0)
            let (x, y) = Self.clustered(&rng, h: h, origin: origin)
            let n = x.count
            let groups = floodFillGroups(count: n) { i, j in Self.close(x[i], y[i], x[j], y[j], h) }
            XCTAssertEqual(EpisodeGrouping.singleLinkage(x: x, y: y, linkMeters: h), groups, "trial \(trial), \(n) points")
        }
    }

    func testSingleLinkageOfHugeFiniteCoordinates() {
        // Beyond the bucket grid's resolution: compared one by one, still linked when close.
        let x = [1e300, 1e300 + 1e285, 0, 500], y = [0.0, 0, 0, 0]
        XCTAssertEqual(EpisodeGrouping.singleLinkage(x: x, y: y, linkMeters: 1000), [[0], [1], [2, 3]])
        XCTAssertEqual(EpisodeGrouping.singleLinkage(x: [1e17, 1e17 + 4000, 1e17 + 8000], y: [0, 0, 0], linkMeters: 5000),
                       [[0, 1, 2]])
    }

    func testBaselineEventsNearEqualsAllPairs() {
        var rng = SplitMix64(seed: 15)
        for trial in 0..<40 {
            let h = [2_000.0, 25_000, 50_000][trial % 3]
            let recent = Self.clustered(&rng, h: h), baseline = Self.clustered(&rng, h: h)
            let episodes = EpisodeGrouping.singleLinkage(x: recent.x, y: recent.y, linkMeters: h)
            let expected = episodes.map { e in
                baseline.x.indices.filter { j in e.contains { i in Self.close(recent.x[i], recent.y[i], baseline.x[j], baseline.y[j], h) } }
            }
            XCTAssertEqual(ChangeDetector.baselineEventsNear(episodes: episodes, recent: recent, baseline: baseline, bandwidthMeters: h),
                           expected, "trial \(trial)")
        }
        XCTAssertEqual(ChangeDetector.baselineEventsNear(episodes: [], recent: ([], []), baseline: ([0], [0]), bandwidthMeters: 1000), [])
        XCTAssertEqual(ChangeDetector.baselineEventsNear(episodes: [[0]], recent: ([0], [0]), baseline: ([], []), bandwidthMeters: 1000), [[]])
        // Exactly the bandwidth apart is not near (strictly).
        XCTAssertEqual(ChangeDetector.baselineEventsNear(episodes: [[0]], recent: ([0], [0]), baseline: ([1000, 999], [0, 0]), bandwidthMeters: 1000), [[1]])
    }

    /// The lattice positions around a point and their squared distances, by testing every
    /// position of the lattice square (what `BackgroundKernel.forLattice` did before it found
    /// each row's run): the reference for the row-run scans.
    static func latticeScan(_ kernel: BackgroundKernel, _ x: Double, _ y: Double, _ body: (Int?, Double) -> Void) {
        let spec = kernel.grid.spec, cs = spec.cellSizeMeters, radius = kernel.radius
        guard x.isFinite, y.isFinite, abs(x) < 1e9, abs(y) < 1e9 else { return }
        let cLo = Int(((x - radius - spec.westX) / cs - 0.5).rounded(.up))
        let cHi = Int(((x + radius - spec.westX) / cs - 0.5).rounded(.down))
        let rLo = Int(((spec.northY - y - radius) / cs - 0.5).rounded(.up))
        let rHi = Int(((spec.northY - y + radius) / cs - 0.5).rounded(.down))
        guard cLo <= cHi, rLo <= rHi else { return }
        for r in rLo...rHi {
            let dy = spec.northY - (Double(r) + 0.5) * cs - y
            for c in cLo...cHi {
                let dx = spec.westX + (Double(c) + 0.5) * cs - x
                let r2 = dx * dx + dy * dy
                guard r2 <= radius * radius else { continue }
                let inside = r >= 0 && r < spec.rows && c >= 0 && c < spec.columns && kernel.grid.mask[r * spec.columns + c] != 0
                body(inside ? r * spec.columns + c : nil, r2)
            }
        }
    }

    func testLatticeRunsEqualAScanOfTheLatticeSquare() throws {
        var rng = SplitMix64(seed: 17)
        for cellKm in [5.0, 10, 7.3] {
            let grid = try EpisodeSimulation(sideDegrees: 2, cellKm: cellKm).grid, spec = grid.spec
            for radius in [1_000.0, cellKm * 1000, 25_000, 50_000, cellKm * 2500] {
                let kernel = BackgroundKernel(grid: grid, radiusMeters: radius)
                for _ in 0..<300 {
                    var x = spec.westX - 2 * radius + rng.nextDouble() * (Double(spec.columns) * spec.cellSizeMeters + 4 * radius)
                    var y = spec.northY + 2 * radius - rng.nextDouble() * (Double(spec.rows) * spec.cellSizeMeters + 4 * radius)
                    // On a cell centre, or a radius from one: the ends of runs at their rounding edge.
                    if rng.nextDouble() < 0.2 { x = spec.westX + (Double(rng.next() % 20) + 0.5) * spec.cellSizeMeters }
                    if rng.nextDouble() < 0.2 { y = spec.northY - (Double(rng.next() % 20) + 0.5) * spec.cellSizeMeters - kernel.radius }
                    var got: [Int?] = [], want: [Int?] = [], gotR2: [Double] = [], wantR2: [Double] = []
                    kernel.forLattice(near: x, y) { got.append($0); gotR2.append($1) }
                    Self.latticeScan(kernel, x, y) { want.append($0); wantR2.append($1) }
                    XCTAssertEqual(got, want, "cell \(cellKm) km, radius \(radius), (\(x), \(y))")
                    XCTAssertEqual(gotR2, wantR2)
                }
            }
        }
    }

    /// The footprint's cells and sums against the lattice-square scan of every point: the same
    /// cells, and sums equal to the last bit, since cells are added in the same order.
    func testFootprintCellsEqualAPerCellScan() throws {
        let sim = try EpisodeSimulation(sideDegrees: 3, cellKm: 10)
        let grid = sim.grid, spec = grid.spec
        var rng = SplitMix64(seed: 16)
        let values = (0..<spec.cellCount).map { _ in rng.nextDouble() }
        for trial in 0..<40 {
            let radius = [5_000.0, 10_000, 25_000, 50_000, 73_210][trial % 5]
            let footprint = FootprintCells(grid: grid, radiusMeters: radius)
            let kernel = BackgroundKernel(grid: grid, radiusMeters: radius)
            // Points over the grid and up to two radii beyond its edges, in clusters.
            let (cx, cy) = Self.clustered(&rng, h: radius / 2,
                                          origin: (spec.westX - 2 * radius, spec.northY - Double(spec.rows) * spec.cellSizeMeters - 2 * radius))
            var order: [Int] = [], seen = Set<Int>()
            for k in cx.indices {
                Self.latticeScan(kernel, cx[k], cy[k]) { i, r2 in
                    if let i, r2 < kernel.radius * kernel.radius, seen.insert(i).inserted { order.append(i) }
                }
            }
            let expectedSum = order.reduce(0.0) { $0 + values[$1] }
            XCTAssertEqual(footprint.cells(aroundX: cx, y: cy), order.sorted(), "trial \(trial)")
            XCTAssertEqual(footprint.sum(values, aroundX: cx, y: cy), expectedSum, "trial \(trial)")
            // The reusable stamps leave nothing behind for the next query.
            XCTAssertEqual(footprint.sum(values, aroundX: Array(cx.prefix(3)), y: Array(cy.prefix(3))),
                           Self.scanSum(kernel, values, Array(cx.prefix(3)), Array(cy.prefix(3))), "trial \(trial), second query")
        }
    }

    static func scanSum(_ kernel: BackgroundKernel, _ values: [Double], _ x: [Double], _ y: [Double]) -> Double {
        var seen = Set<Int>(), total = 0.0
        for k in x.indices {
            latticeScan(kernel, x[k], y[k]) { i, r2 in
                if let i, r2 < kernel.radius * kernel.radius, seen.insert(i).inserted { total += values[i] }
            }
        }
        return total
    }
}
