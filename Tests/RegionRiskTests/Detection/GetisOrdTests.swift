import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGrid

final class GetisOrdTests: XCTestCase {
    func testPointsMatchEsdaGLocalStar() throws {
        let f = try DetectionFixtures.load("gistar.json", as: DetectionFixtures.GiStar.self).points
        for band in f.bands {
            let z = try GetisOrdGiStar.zScores(values: f.values, x: f.x, y: f.y, distanceBand: band.distanceBand)
            XCTAssertEqual(z.count, band.z.count)
            for i in z.indices { assertClose(z[i], band.z[i], abs: 1e-9, "band \(band.distanceBand) point \(i)") }
        }
    }

    func testMaskedGridMatchesEsdaOnCellCentres() throws {
        let f = try DetectionFixtures.load("gistar.json", as: DetectionFixtures.GiStar.self).grid
        for r in f.radii {
            let z = try GetisOrdGiStar.zScores(grid: f.values, nx: f.nx, ny: f.ny, mask: f.mask, neighborhoodRadiusCells: r.radiusCells)
            XCTAssertEqual(z.count, f.nx * f.ny)
            for (k, cell) in f.maskedIndices.enumerated() {
                assertClose(z[cell], r.z[k], abs: 1e-9, "radius \(r.radiusCells) cell \(cell)")
            }
            // Outside the mask: not a location, z = 0 (the fixture puts 99 there to prove it is ignored).
            for i in z.indices where !f.mask[i] { XCTAssertEqual(z[i], 0) }
        }
    }

    func testGridFormEqualsBruteForcePointForm() throws {
        // Independent of esda: the O(n²) point form on the cell centres of a random masked grid.
        var rng = SplitMix64(seed: 42)
        let nx = 31, ny = 19
        let values = (0..<(nx * ny)).map { _ in Double(rng.next() % 7) }
        let mask = (0..<(nx * ny)).map { _ in rng.next() % 5 != 0 }
        for radius in [0.0, 1.0, 2.0, 3.7, 6.0] {
            let grid = try GetisOrdGiStar.zScores(grid: values, nx: nx, ny: ny, mask: mask, neighborhoodRadiusCells: radius)
            let inside = mask.indices.filter { mask[$0] }
            let pts = try GetisOrdGiStar.zScores(values: inside.map { values[$0] }, x: inside.map { Double($0 % nx) },
                                                 y: inside.map { Double($0 / nx) }, distanceBand: radius)
            for (k, cell) in inside.enumerated() { assertClose(grid[cell], pts[k], abs: 1e-10, "r=\(radius) cell \(cell)") }
        }
    }

    func testDiskNeighbourhoodCountsMatchBruteForce() throws {
        for r in [0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 4.2, 5.0, 7.07, 12.0] {
            let disk = try DiskNeighborhood(radiusCells: r)
            let reach = Int(r) + 1
            var count = 0
            for dy in -reach...reach { for dx in -reach...reach where Double(dx * dx + dy * dy) <= r * r + 1e-9 { count += 1 } }
            XCTAssertEqual(disk.cellCount, count, "radius \(r)")
        }
        // Integer distances sit on the band: radius 5 includes (3, 4) and (5, 0).
        XCTAssertEqual(try DiskNeighborhood(radiusCells: 5).halfWidths, [5, 4, 4, 4, 3, 0])
    }

    func testDegenerateInputsGiveZeroNotNaN() throws {
        let zeros = try GetisOrdGiStar.zScores(grid: [Double](repeating: 0, count: 30), nx: 6, ny: 5, mask: nil, neighborhoodRadiusCells: 1.5)
        XCTAssertEqual(zeros, [Double](repeating: 0, count: 30))
        let constant = try GetisOrdGiStar.zScores(grid: [Double](repeating: 0.1, count: 30), nx: 6, ny: 5, mask: nil, neighborhoodRadiusCells: 1.5)
        XCTAssertEqual(constant, [Double](repeating: 0, count: 30))
        let single = try GetisOrdGiStar.zScores(grid: [5], nx: 1, ny: 1, mask: nil, neighborhoodRadiusCells: 2)
        XCTAssertEqual(single, [0])
        // A band covering every location carries no information.
        let everything = try GetisOrdGiStar.zScores(grid: [1, 2, 3, 4], nx: 2, ny: 2, mask: nil, neighborhoodRadiusCells: 5)
        XCTAssertEqual(everything, [0, 0, 0, 0])
        let noneInside = try GetisOrdGiStar.zScores(grid: [1, 2, 3, 4], nx: 2, ny: 2, mask: [false, false, false, false], neighborhoodRadiusCells: 1)
        XCTAssertEqual(noneInside, [0, 0, 0, 0])
    }

    func testAHotClusterHasLargePositiveZAndQuietCellsNegative() throws {
        var values = [Double](repeating: 0, count: 20 * 20)
        for y in 8..<11 { for x in 8..<11 { values[y * 20 + x] = 5 } }
        values[2 * 20 + 17] = 1
        let z = try GetisOrdGiStar.zScores(grid: values, nx: 20, ny: 20, mask: nil, neighborhoodRadiusCells: 1.5)
        XCTAssertGreaterThan(z[9 * 20 + 9], 5)
        XCTAssertLessThan(z[0], 0)
        XCTAssertTrue(z.allSatisfy { $0.isFinite })
    }

    func testShapeErrorsAreReported() {
        XCTAssertThrowsError(try GetisOrdGiStar.zScores(grid: [1, 2, 3], nx: 2, ny: 2, mask: nil, neighborhoodRadiusCells: 1)) { e in
            XCTAssertEqual(e as? DetectionStatisticsError, .dimensionMismatch(argument: "values", expected: 4, found: 3))
            XCTAssertTrue(e.localizedDescription.contains("values"), e.localizedDescription)
        }
        XCTAssertThrowsError(try GetisOrdGiStar.zScores(grid: [1, 2, 3, 4], nx: 2, ny: 2, mask: [true], neighborhoodRadiusCells: 1))
        XCTAssertThrowsError(try GetisOrdGiStar.zScores(grid: [1, 2, 3, 4], nx: 2, ny: 2, mask: nil, neighborhoodRadiusCells: -1))
        XCTAssertThrowsError(try GetisOrdGiStar.zScores(grid: [1, .nan, 3, 4], nx: 2, ny: 2, mask: nil, neighborhoodRadiusCells: 1))
        XCTAssertThrowsError(try GetisOrdGiStar.zScores(values: [1, 2], x: [0], y: [0, 1], distanceBand: 1))
    }
}
