import Foundation
import XCTest

/// The report as a person sees and uses it, in headless Chromium (scripts/check-report-in-browser.sh):
/// the map, its labels and legend on screen; wheel zoom, drag pan, a click listing a region's
/// incidents. Skips only when Chromium is missing and cannot be installed.
final class BrowserCheckTests: XCTestCase {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/check-report-in-browser.sh")

    func check(_ html: URL, _ shot: URL) throws -> CLIResult {
        let r = try runProcess(["/bin/bash", Self.script.path, html.path, shot.path])
        if r.stderr.contains("chromium not installed and could not be installed") {
            throw XCTSkip("chromium is not installed and apt-get could not install it")
        }
        return r
    }

    func testTheReportWorksInABrowserAndTheCheckFailsWithoutMapOrLegend() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-browser-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runCLI(["report", "--as-of", "2025-07-08", "--out", dir.appendingPathComponent("reports").path])
        XCTAssertTrue(r.status == 0 || r.status == 3, r.stderr)
        let html = dir.appendingPathComponent("reports/latest/report.html")
        let ok = try check(html, dir.appendingPathComponent("shot.png"))
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        for step in ["ok: map,", "flagged regions with", "ok: zoom", "pan to", "ok: clicking region"] {
            XCTAssertTrue(ok.stdout.contains(step), "\(step) in \(ok.stdout)")
        }

        // The same report without its legend, and without its map: the check must fail.
        let text = try String(contentsOf: html, encoding: .utf8)
        let noLegend = try XCTUnwrap(text.range(of: #"<g id="legend"[\s\S]*?</g>\n</g>\n"#, options: .regularExpression))
        let noMap = try XCTUnwrap(text.range(of: #"<svg [\s\S]*?</svg>\n"#, options: .regularExpression))
        for (name, range, expected) in [("no-legend", noLegend, "no legend"), ("no-map", noMap, "no map")] {
            var broken = text
            broken.removeSubrange(range)
            let page = dir.appendingPathComponent("\(name).html")
            try broken.write(to: page, atomically: true, encoding: .utf8)
            let r = try check(page, dir.appendingPathComponent("\(name).png"))
            XCTAssertEqual(r.status, 1, "\(name): \(r.stdout) \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "\(name): \(r.stderr)")
        }
    }
}
