import Foundation
import XCTest

/// Decoders for the committed reference fixtures under Fixtures/detection/out/, produced by the
/// Python scripts in Fixtures/detection/scripts/ (scipy, statsmodels, esda, pymannkendall).
enum DetectionFixtures {
    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let data = try Data(contentsOf: Fixtures.url("detection/out/\(name)"))
        return try JSONDecoder().decode(T.self, from: data)
    }

    struct Rates: Decodable {
        struct NormalCase: Decodable { let z, cdf, sf, twoSided: Double }
        struct BinomialCase: Decodable { let n, k: Int; let p, atLeast, atMost: Double }
        struct BetaCase: Decodable { let a, b, x, lower, upper: Double }
        struct RateCase: Decodable {
            let recentCount: Int; let recentDays: Double; let baselineCount: Int; let baselineDays: Double
            let background, exceedance, deficit: Double
        }
        struct BHCase: Decodable { let p, q: [Double] }
        let normal: [NormalCase]
        let binomial: [BinomialCase]
        let incompleteBeta: [BetaCase]
        let rates: [RateCase]
        let benjaminiHochberg: [BHCase]
    }

    struct MannKendall: Decodable {
        struct Case: Decodable { let name: String; let x: [Double]; let s, varS, z, p, tau: Double; let trend: String }
        let cases: [Case]
    }

    struct GiStar: Decodable {
        struct Points: Decodable {
            struct Band: Decodable { let distanceBand: Double; let z: [Double] }
            let x, y, values: [Double]; let bands: [Band]
        }
        struct Grid: Decodable {
            struct Radius: Decodable { let radiusCells: Double; let z: [Double] }
            let nx, ny: Int; let cellSize: Double; let mask: [Bool]; let values: [Double]
            let maskedIndices: [Int]; let radii: [Radius]
        }
        struct Cube: Decodable {
            struct Trend: Decodable { let s, varS, z, p: Double; let trend: String }
            struct Analysis: Decodable { let radiusCells: Double; let timeSteps: Int; let z: [Double]; let trends: [Trend] }
            let nx, ny, steps: Int; let mask: [Bool]; let counts: [Double]; let cells: [Int]; let analyses: [Analysis]
        }
        let points: Points
        let grid: Grid
        let cube: Cube
    }
}

/// |a − b| ≤ abs + rel·|b|, with a readable failure.
func assertClose(_ a: Double, _ b: Double, abs: Double = 0, rel: Double = 0, _ what: @autoclosure () -> String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    let ok = a == b || Swift.abs(a - b) <= abs + rel * Swift.abs(b)
    XCTAssertTrue(ok, "\(what()): got \(a), expected \(b) (diff \(a - b))", file: file, line: line)
}
