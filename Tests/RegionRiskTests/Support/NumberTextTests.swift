import XCTest
@testable import RegionRiskBase

final class NumberTextTests: XCTestCase {
    func fixed6(_ v: Double) -> String { var b: [UInt8] = []; NumberText.appendFixed6(v, to: &b); return String(decoding: b, as: UTF8.self) }

    func testFixedSixDecimalsMatchesPrintf() {
        var rng = SplitMix64(seed: 5)
        for v in [0, -0.0000004, -11.44448, 14.4469349999, 179.9999996, -0.5, 3.0000005] + (0..<2000).map({ _ in (rng.nextDouble() - 0.5) * 400 }) {
            XCTAssertEqual(fixed6(v), String(format: "%.6f", v).replacingOccurrences(of: "-0.000000", with: "0.000000"), "\(v)")
        }
    }

    func testShortestReadsBackExactly() {
        var rng = SplitMix64(seed: 6)
        for v in [0, 1e-300, 0.004139910813598137] + (0..<1000).map({ _ in rng.nextDouble() * 1e-3 }) {
            var b: [UInt8] = []
            NumberText.appendShortest(v, to: &b)
            XCTAssertEqual(Double(String(decoding: b, as: UTF8.self)), v)
        }
    }
}
