import Foundation
import XCTest
@testable import RegionRiskGeoJSON
@testable import RegionRiskReport

final class TextMetricsTests: XCTestCase {
    /// Label placement trusts TextMetrics: an estimate shorter than the rendered text lets labels
    /// overlap, a much longer one pushes them away from their regions. Reference: widths measured
    /// in headless Chromium (scripts/measure-text-in-chromium.sh).
    func testEstimatesBoundChromiumsRenderedWidthsFromAbove() throws {
        let url = Fixtures.url("report/out/chromium-text-widths.json")
        guard case let .array(rows) = try JSONValue.parse(Data(contentsOf: url)) else { return XCTFail("not an array") }
        XCTAssertGreaterThan(rows.count, 200)
        for row in rows {
            guard case let .array(r) = row, r.count == 4, let text = r[0].stringValue, let size = r[1].doubleValue,
                let measured = r[3].doubleValue
            else { return XCTFail("bad row \(row)") }
            let bold = r[2] == .bool(true)
            let estimate = TextMetrics.width(text, fontSize: size, bold: bold)
            XCTAssertGreaterThanOrEqual(estimate, measured - 0.05, "\(text) at \(size) px\(bold ? " bold" : ""): underestimated")
            XCTAssertLessThanOrEqual(estimate, measured * 1.05 + 1, "\(text) at \(size) px\(bold ? " bold" : ""): far too wide")
        }
    }

    func testUnknownCharactersCountAFullEmAndCombiningMarksNothing() {
        XCTAssertEqual(TextMetrics.width("漢字", fontSize: 10), 20)
        // "é" precomposed and as e + U+0301 take the same room.
        XCTAssertEqual(TextMetrics.width("Se\u{0301}gou", fontSize: 11), TextMetrics.width("Ségou", fontSize: 11))
    }
}
