import Foundation
import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskReport

final class MarkdownReportTests: XCTestCase {
    /// The table after the `## heading`, as rows of cells split on unescaped pipes.
    func table(after heading: String, in md: String) throws -> [[String]] {
        let lines = md.components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex(of: heading), "no \(heading)")
        let rows = lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        return rows.map { line in
            var cells: [String] = []
            var cell = ""
            var escaped = false
            for ch in line.dropFirst().dropLast() {
                if escaped { cell.append(ch); escaped = false; continue }
                if ch == "\\" { cell.append(ch); escaped = true; continue }
                if ch == "|" { cells.append(cell.trimmingCharacters(in: .whitespaces)); cell = ""; continue }
                cell.append(ch)
            }
            cells.append(cell.trimmingCharacters(in: .whitespaces))
            return cells
        }
    }

    func testTablesHaveAHeaderASeparatorAndOneRowPerItem() throws {
        let doc = ReportSamples.small()
        let md = MarkdownReport.render(doc)
        XCTAssertTrue(md.hasPrefix("# RegionRisk report\n"))
        let flagged = try table(after: "## Flagged regions", in: md)
        XCTAssertEqual(flagged.count, 2 + doc.flaggedRegions.count)
        XCTAssertTrue(flagged.allSatisfy { $0.count == 11 })
        XCTAssertEqual(flagged[2][0...4], ["R1", "new", "yes", "Kayes, Diboli", "Kayes"])
        XCTAssertEqual(flagged[1][5], "---:", "counts are right-aligned")
        let admin1 = try table(after: "## By region (admin-1)", in: md)
        XCTAssertEqual(admin1.count, 2 + doc.admin1Rows.count)
        XCTAssertEqual(admin1.map { $0[1] }, ["Region", "---", "Kayes", "Mopti", "Kidal"])
        XCTAssertEqual(try table(after: "## Parameters", in: md).count, 2 + doc.parameters.count)
        XCTAssertTrue(md.contains("2 regions newly active: Kayes, Diboli (Kayes); Nioro du Sahel (Kayes)."))
        XCTAssertTrue(md.contains("- **New (2):** Kayes, Diboli; Nioro du Sahel\n"))
        XCTAssertTrue(md.contains("- [ACLED](<https://acleddata.com/>)\n"))
    }

    func testPipesAndMarkupInDataCannotBreakTheTable() throws {
        var doc = ReportSamples.small()
        doc.flaggedRegions[0].places = ["A|B", "C\\|D"]
        doc.flaggedRegions[0].summary = "line one\nline two | <script>x</script> *bold*"
        doc.admin1Rows[0].name = "Kayes | extra | cells"
        let md = MarkdownReport.render(doc)
        let flagged = try table(after: "## Flagged regions", in: md)
        XCTAssertEqual(flagged.count, 2 + doc.flaggedRegions.count)
        XCTAssertTrue(flagged.allSatisfy { $0.count == 11 }, "\(flagged.map(\.count))")
        XCTAssertEqual(flagged[2][3], #"A\|B, C\\\|D"#)
        XCTAssertEqual(flagged[2][10], #"line one line two \| \<script\>x\</script\> \*bold\*"#)
        let admin1 = try table(after: "## By region (admin-1)", in: md)
        XCTAssertTrue(admin1.allSatisfy { $0.count == 8 })
        XCTAssertEqual(admin1[2][1], #"Kayes \| extra \| cells"#)
    }

    func testSummaryWordingFollowsSignificance() {
        var doc = ReportSamples.small()
        let regions = doc.flaggedRegions
        doc.flaggedRegions = [regions[0]]
        XCTAssertEqual(ReportSummary.sentences(doc).first, "1 region newly active: Kayes, Diboli (Kayes). It is statistically significant.")
        doc.flaggedRegions = [regions[1]]
        XCTAssertEqual(
            ReportSummary.sentences(doc).first,
            "1 region newly active: Nioro du Sahel (Kayes). It is not (yet) statistically significant: too few events to rule out chance.")
        doc.flaggedRegions = [regions[0], regions[0]]
        XCTAssertTrue(ReportSummary.sentences(doc).first!.hasSuffix("All are statistically significant."))
        doc.flaggedRegions = []
        doc.changesSinceLastRun = RunChanges(previousAsOf: nil, new: [], continuing: [], ended: ["Kayes"])
        XCTAssertEqual(ReportSummary.sentences(doc), [
            "No region of Testland is flagged as of 2025-07-08.",
            "Recent window 2025-06-09 – 2025-07-08 (30 days), compared with the baseline 2024-06-09 – 2025-06-08 (365 days).",
            "Since the previous run: no new region; none continuing; ended: Kayes.",
        ])
    }

    func testWindowsEndOnTheAsOfDate() {
        let w = AnalysisWindows(asOf: CivilDate(year: 2025, month: 7, day: 8)!, recentDays: 30, baselineDays: 365)
        XCTAssertEqual("\(w.recentStart)", "2025-06-09")
        XCTAssertEqual("\(w.baselineEnd)", "2025-06-08")
        XCTAssertEqual("\(w.baselineStart)", "2024-06-09")
        XCTAssertEqual(w.recentDays, 30)
        XCTAssertEqual(w.baselineDays, 365)
    }

    func testNumbersArePrintedForPeople() {
        XCTAssertEqual(ReportText.probability(0.0312), "0.031")
        XCTAssertEqual(ReportText.probability(0.00004), "4.0e-05")
        XCTAssertEqual(ReportText.probability(nil), "–")
        XCTAssertEqual(ReportText.probability(.nan), "–")
        XCTAssertEqual(ReportText.decimal(2.5), "2.5")
        XCTAssertEqual(ReportText.decimal(3), "3")
        XCTAssertEqual(ReportText.decimal(-0.001), "0")
        XCTAssertEqual(ReportText.decimal(.infinity), "–")
    }
}
