import Foundation
import XCTest

final class RiskCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-risk-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testCSVHeaderRowsAndSidecar() throws {
        let out = dir.appendingPathComponent("risk.csv")
        let r = try runCLI(["risk", "--as-of", "2025-07-08", "--horizon-days", "90", "--cell-km", "20", "--format", "csv", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("lon,lat,expected,p_any"), String(lines[0]))
        // One row per cell inside the area: the same count as the density grid's CSV.
        let density = dir.appendingPathComponent("d.csv")
        XCTAssertEqual(try runCLI(["density", "--format", "csv", "--cell-km", "20", "--out", density.path]).status, 0)
        let densityRows = try String(contentsOf: density, encoding: .utf8).split(separator: "\n").count - 1
        XCTAssertEqual(lines.count - 1, densityRows)
        // Values: expected ≥ 0, p_any = 1 − e^(−expected), background + triggered = expected.
        var total = 0.0
        for line in lines.dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            let e = try XCTUnwrap(Double(f[2])), p = try XCTUnwrap(Double(f[3]))
            let bg = try XCTUnwrap(Double(f[4])), tr = try XCTUnwrap(Double(f[5]))
            XCTAssertGreaterThanOrEqual(e, 0)
            XCTAssertEqual(p, 1 - exp(-e), accuracy: 1e-12)
            XCTAssertEqual(bg + tr, e, accuracy: 1e-9 * max(e, 1e-300) + 1e-300)
            total += e
        }
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.path + ".json"))) as! [String: Any]
        let fit = try XCTUnwrap(meta["fit"] as? [String: Any])
        for name in ["mu_per_day", "alpha", "omega_per_day", "sigma_km"] {
            let p = try XCTUnwrap(fit[name] as? [String: Any], name)
            XCTAssertNotNil(p["estimate"] as? Double, name)
            XCTAssertNotNil(p["standard_error"], name)
        }
        XCTAssertEqual(try XCTUnwrap(meta["expected_total"] as? Double), total, accuracy: 1e-6 * total)
    }

    func testGeoJSONAndASCIIFormats() throws {
        let geo = dir.appendingPathComponent("risk.geojson")
        XCTAssertEqual(try runCLI(["risk", "--cell-km", "40", "--format", "geojson", "--out", geo.path]).status, 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: geo)) as! [String: Any]
        XCTAssertFalse((json["features"] as! [[String: Any]]).isEmpty)
        XCTAssertNotNil((json["fit"] as? [String: Any])?["alpha"])
        let asc = dir.appendingPathComponent("risk.asc")
        XCTAssertEqual(try runCLI(["risk", "--cell-km", "40", "--format", "asc", "--out", asc.path]).status, 0)
        XCTAssertTrue(try String(contentsOf: asc, encoding: .utf8).hasPrefix("ncols "))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("risk.prj").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: asc.path + ".json"))
    }

    func testBadInputExitCodes() throws {
        let out = dir.appendingPathComponent("risk.csv")
        for args in [["--as-of", "2025-13-40"], ["--horizon-days", "0"], ["--cell-km", "-5"], ["--format", "tiff"], ["--cell-km", "nan"]] {
            let r = try runCLI(["risk", "--out", out.path] + args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
        }
        let missing = try runCLI(["risk", "--events", dir.appendingPathComponent("none.csv").path, "--out", out.path])
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("none.csv"), missing.stderr)
        // Every event after the as-of date: nothing to fit.
        let early = try runCLI(["risk", "--as-of", "2020-01-01", "--out", out.path])
        XCTAssertEqual(early.status, 1, early.stderr)
        XCTAssertTrue(early.stderr.contains("as-of"), early.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testBacktestTableJSONAndHTML() throws {
        let html = dir.appendingPathComponent("bt.html")
        let r = try runCLI(["backtest", "--from", "2024-12-01", "--to", "2025-02-28", "--cell-km", "20", "--random-draws", "20",
                            "--json", "--html", html.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let methods = (json["methods"] as! [[String: Any]]).map { $0["method"] as! String }
        XCTAssertEqual(methods, ["naive", "forecast", "random", "new", "forecast@new-area"])
        XCTAssertEqual((json["origins"] as! [[String: Any]]).count, 3)
        XCTAssertEqual((json["reliability"] as! [[String: Any]]).count, 10)
        XCTAssertNotNil(json["brier"] as? Double)
        let page = try String(contentsOf: html, encoding: .utf8)
        XCTAssertTrue(page.contains("<svg"), page)
        XCTAssertFalse(page.contains("http://") && page.contains("<script src"), "no network resources")
        let table = try runCLI(["backtest", "--from", "2025-01-01", "--to", "2025-01-31", "--cell-km", "20", "--no-new"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.hasPrefix("method"), table.stdout)
        XCTAssertTrue(table.stdout.contains("reliability by decile"), table.stdout)
    }

    func testBacktestBadInput() throws {
        XCTAssertEqual(try runCLI(["backtest", "--from", "yesterday"]).status, 64)
        XCTAssertEqual(try runCLI(["backtest", "--random-draws", "0"]).status, 64)
        let none = try runCLI(["backtest", "--from", "2025-01-02", "--to", "2025-01-20"])
        XCTAssertEqual(none.status, 1, none.stderr)
        XCTAssertTrue(none.stderr.contains("no month-end"), none.stderr)
    }

    func testReportWithForecastHasRiskLayerAndWatchList() throws {
        let out = dir.appendingPathComponent("reports")
        let r = try runCLI(["report", "--forecast", "--as-of", "2025-07-08", "--out", out.path])
        XCTAssertTrue(r.status == 0 || r.status == 3, r.stderr)
        let folder = out.appendingPathComponent("2025-07-08")
        let md = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("## Watch list: quiet places at risk"), md)
        XCTAssertTrue(md.contains("| at-risk |"), md)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<g id=\"risk\""), "risk layer on the map")
        let csv = try String(contentsOf: folder.appendingPathComponent("risk.csv"), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("lon,lat,expected,p_any"))
        // Without --forecast the report has neither.
        let plain = try runCLI(["report", "--as-of", "2025-07-08", "--out", dir.appendingPathComponent("plain").path])
        XCTAssertTrue(plain.status == 0 || plain.status == 3, plain.stderr)
        let plainMD = try String(contentsOf: dir.appendingPathComponent("plain/2025-07-08/report.md"), encoding: .utf8)
        XCTAssertFalse(plainMD.contains("at-risk"))
    }
}
