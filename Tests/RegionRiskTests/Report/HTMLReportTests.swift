import Foundation
import XCTest
@testable import RegionRiskReport

final class HTMLReportTests: XCTestCase {
    func testReportIsWellFormedAndHasEverySection() throws {
        let doc = ReportSamples.small()
        let html = HTMLReport.render(doc)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        let root = try XTreeBuilder.parse(html)
        XCTAssertEqual(root.name, "html")
        XCTAssertEqual(root.elements("meta").first?["charset"], "utf-8")
        XCTAssertEqual(root.elements("h1").first?.fullText, "RegionRisk report")
        let header = try XCTUnwrap(root.elements("header").first).fullText
        for s in ["Testland", "2025-07-08", "2025-06-09 – 2025-07-08 (30 days)", "2024-06-09 – 2025-06-08 (365 days)", "2025-07-08T06:00:00Z"] {
            XCTAssertTrue(header.contains(s), "header lacks \(s): \(header)")
        }
        let sections = root.elements("section").compactMap { $0["id"] }
        XCTAssertEqual(sections, ["summary", "map", "flagged", "changes", "admin1", "notes", "parameters", "sources"])

        let summary = try XCTUnwrap(root.first(id: "summary")).fullText
        XCTAssertTrue(summary.contains("2 regions newly active: Kayes, Diboli (Kayes); Nioro du Sahel (Kayes). 1 of them is statistically significant."), summary)
        XCTAssertTrue(summary.contains("1 region persistently active: Diafarabé, Dioura (Mopti, Ségou). It is not (yet) statistically significant"), summary)
        XCTAssertTrue(summary.contains("Since the previous run (as of 2025-07-01): new: Kayes, Diboli and Nioro du Sahel; continuing: Diafarabé, Dioura; none ended."), summary)

        // The inline map is there, once, with its layers.
        let svgs = root.elements("svg")
        XCTAssertEqual(svgs.count, 1)
        XCTAssertEqual(svgs[0].elements(class: "flagged-region").count, 3)

        func bodyRows(_ id: String) throws -> [[String]] {
            let section = try XCTUnwrap(root.first(id: id))
            return try XCTUnwrap(section.elements("tbody").first).elements("tr").map { $0.children.map(\.fullText) }
        }
        let flagged = try bodyRows("flagged")
        XCTAssertEqual(flagged.count, 3)
        XCTAssertEqual(flagged[0], ["R1", "new", "yes", "Kayes, Diboli", "Kayes", "4", "0", "12", "4.0e-04", "0.003", doc.flaggedRegions[0].summary])
        XCTAssertEqual(flagged[1][2], "not yet")
        let admin1 = try bodyRows("admin1")
        XCTAssertEqual(admin1.map { $0[1] }, ["Kayes", "Mopti", "Kidal"])
        XCTAssertEqual(admin1.map { $0[6] }, ["new", "×1.22", "–"])
        XCTAssertEqual(admin1[1], ["2", "Mopti", "3", "30", "5", "80", "×1.22", "1.25"])
        XCTAssertEqual(try bodyRows("parameters"), [["bandwidth_km", "25"], ["alpha", "0.05"]])
        XCTAssertEqual(try XCTUnwrap(root.first(id: "notes")).elements("li").map(\.fullText), doc.notes)
        let changes = try XCTUnwrap(root.first(id: "changes")).elements("dd").map(\.fullText)
        XCTAssertEqual(changes, ["Kayes, Diboli; Nioro du Sahel", "Diafarabé, Dioura", "none"])
    }

    func testNothingIsLoadedFromTheNetwork() throws {
        var doc = ReportSamples.small()
        doc.sources.append(ReportSource(title: "not a link", url: "javascript:alert(1)"))
        doc.notes.append("See http://example.org/notes for details")  // text, not a reference
        let html = HTMLReport.render(doc)
        let lower = html.lowercased()
        for banned in ["<link", "<iframe", "<object", "<embed", "<img", "@import", "@font-face", " src="] {
            XCTAssertFalse(lower.contains(banned), "report contains \(banned)")
        }
        // One script, the report's own (zoom, pan, a region's incidents), which loads nothing.
        XCTAssertEqual(lower.components(separatedBy: "<script").count - 1, 1)
        XCTAssertTrue(html.contains("<script id=\"rr-map-script\">\n\(HTMLReport.mapScript)</script>"))
        for banned in ["http", "fetch(", "xmlhttprequest", "import(", "src", "eval(", "innerhtml", "websocket"] {
            XCTAssertFalse(HTMLReport.mapScript.lowercased().contains(banned), "the map script contains \(banned)")
        }
        // url(...) only for the map's own clip path.
        var rest = lower[...]
        while let r = rest.range(of: "url(") {
            XCTAssertTrue(rest[r.upperBound...].hasPrefix("#"), "external url(): \(rest[r.lowerBound...].prefix(40))")
            rest = rest[r.upperBound...]
        }
        let root = try XTreeBuilder.parse(html)
        // Every href is a source link with an http(s) address, inside the sources section.
        let sources = try XCTUnwrap(root.first(id: "sources"))
        let linked = root.all.filter { $0["href"] != nil }
        XCTAssertEqual(linked.map { $0["href"]! }, ["https://acleddata.com/"])
        XCTAssertTrue(linked.allSatisfy { node in sequence(first: node, next: { $0.parent }).contains { $0 === sources } })
        XCTAssertEqual(sources.elements("li").last?.fullText, "not a link (javascript:alert(1))")
        // Other http(s) occurrences: the SVG namespace and plain text only.
        for node in root.all {
            for (k, v) in node.attributes where v.lowercased().contains("http") {
                XCTAssertTrue((k == "xmlns" && v == "http://www.w3.org/2000/svg") || k == "href", "\(node.name) \(k)=\(v)")
            }
        }
    }

    func testTextFromTheDataIsEscaped() throws {
        var doc = ReportSamples.small()
        doc.title = "Report <b>bold</b> & \"more\""
        doc.flaggedRegions[0].places = ["<img src=x onerror=alert(1)>", "A&B"]
        doc.flaggedRegions[0].summary = "</td></tr></table><script>x</script>"
        doc.admin1Rows[0].name = "Kayes 'quoted'"
        doc.parameters.append(ReportParameter("<p>", "a < b & c > d"))
        let html = HTMLReport.render(doc)
        XCTAssertFalse(html.contains("<img"))
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 1, "only the report's own script")
        XCTAssertFalse(html.contains("<b>bold"))
        let root = try XTreeBuilder.parse(html)
        XCTAssertEqual(root.elements("h1").first?.fullText, "Report <b>bold</b> & \"more\"")
        let row = try XCTUnwrap(root.first(id: "flagged")?.elements("tbody").first?.elements("tr").first)
        XCTAssertEqual(row.children.count, 11, "the summary cannot close the row early")
        XCTAssertEqual(row.children[3].fullText, "<img src=x onerror=alert(1)>, A&B")
        XCTAssertEqual(row.children[10].fullText, "</td></tr></table><script>x</script>")
        XCTAssertEqual(try XCTUnwrap(root.first(id: "parameters")).elements("tr").last?.children.map(\.fullText), ["<p>", "a < b & c > d"])
    }

    func testNoFlagsAndNoPreviousRunSayItPlainly() throws {
        var doc = ReportSamples.small()
        doc.flaggedRegions = []
        doc.changesSinceLastRun = nil
        doc.notes = []
        doc.sources = []
        let root = try XTreeBuilder.parse(HTMLReport.render(doc))
        XCTAssertEqual(root.elements("section").compactMap { $0["id"] }, ["summary", "map", "flagged", "admin1", "parameters"])
        XCTAssertTrue(try XCTUnwrap(root.first(id: "summary")).fullText.contains("No region of Testland is flagged as of 2025-07-08."))
        XCTAssertEqual(try XCTUnwrap(root.first(id: "flagged")).elements("p").map(\.fullText), ["No region is flagged."])
    }
}
