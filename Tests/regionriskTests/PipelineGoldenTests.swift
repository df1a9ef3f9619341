import Foundation
import XCTest

/// The main outputs on the embedded sample, byte for byte against committed copies, so that a
/// change meant to leave behaviour alone (a refactoring, a speed-up) proves it did.
///
/// The copies in `Fixtures/pipeline/out/` were made by the release before the package was split
/// into stage targets; the only lines compared loosely are the report's generation timestamps.
/// When a change is *meant* to alter these outputs, regenerate the copies with
/// `REGIONRISK_UPDATE_GOLDENS=1 swift test --filter PipelineGoldenTests` and review the diff.
final class PipelineGoldenTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pipeline/out")
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-golden-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The report's "Generated" timestamps are the only lines that differ between two runs.
    func normalised(_ text: String) -> String {
        text.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#, with: "TIMESTAMP", options: .regularExpression)
    }

    func assertSame(_ produced: URL, _ fixture: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expectedURL = Self.fixtures.appendingPathComponent(fixture)
        let got = try String(contentsOf: produced, encoding: .utf8)
        if ProcessInfo.processInfo.environment["REGIONRISK_UPDATE_GOLDENS"] == "1" {
            try got.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        if normalised(got) != normalised(expected) {
            let a = normalised(got).split(separator: "\n", omittingEmptySubsequences: false)
            let b = normalised(expected).split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            XCTFail("\(fixture) differs from the committed copy at line \(first + 1):\n got:      \(first < a.count ? a[first].prefix(300) : "<end>")\n expected: \(first < b.count ? b[first].prefix(300) : "<end>")",
                    file: file, line: line)
        }
    }

    func testDensityOutputsAreUnchanged() throws {
        for format in ["csv", "geojson"] {
            let out = dir.appendingPathComponent("density.\(format)")
            let r = try runCLI(["density", "--cell-km", "25", "--bandwidth-km", "50", "--format", format, "--out", out.path])
            XCTAssertEqual(r.status, 0, r.stderr)
            try assertSame(out, "density-25km.\(format)")
        }
    }

    func testFlagOutputIsUnchanged() throws {
        let out = dir.appendingPathComponent("flag.geojson")
        let r = try runCLI(["flag", "--as-of", "2025-07-08", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        try assertSame(out, "flag-2025-07-08.geojson")
    }

    func testReportIsUnchanged() throws {
        let out = dir.appendingPathComponent("reports")
        let r = try runCLI(["report", "--as-of", "2025-07-08", "--out", out.path])
        XCTAssertEqual(r.status, 3, r.stderr)
        for f in ["report.md", "admin1.csv", "regions.geojson"] {
            try assertSame(out.appendingPathComponent("latest/\(f)"), "report-\(f)")
        }
    }
}
