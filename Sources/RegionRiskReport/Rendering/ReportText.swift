import Foundation
import RegionRiskBase

/// Escaping and number formatting shared by the SVG, HTML and Markdown renderers.
enum ReportText {
    /// Text safe inside XML/HTML element content and double- or single-quoted attributes.
    /// Characters XML 1.0 forbids (C0 controls other than tab, newline, return; U+FFFE/U+FFFF)
    /// are dropped, because a single one makes the whole SVG unreadable to an XML parser.
    static func xmlEscaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF || (0x7F...0x9F).contains(u.value) {
                    continue
                }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Text safe inside a Markdown paragraph or table cell: ASCII punctuation that Markdown or
    /// inline HTML would interpret is backslash-escaped (CommonMark §2.4) and line breaks become
    /// spaces, so a place name can neither break a table row nor inject markup.
    static func markdownEscaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~":
                out += "\\"
                out.unicodeScalars.append(u)
            case "\n", "\r", "\t": out += " "
            default:
                if u.value < 0x20 || (0x7F...0x9F).contains(u.value) { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A p- or q-value: three decimals, scientific notation below 0.001 ("2.4e-05").
    static func probability(_ p: Double?) -> String {
        guard let p, p.isFinite else { return "–" }
        if p == 0 { return "0" }
        if p < 0.001 { return String(format: "%.1e", p) }
        return String(format: "%.3f", p)
    }

    /// A score or ratio with at most `decimals` decimals, trailing zeros removed.
    static func decimal(_ x: Double, decimals: Int = 2) -> String {
        guard x.isFinite else { return "–" }
        var s = String(format: "%.\(decimals)f", x)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }

    /// The change between windows as a reader sees it: "×2.5", "new" (no baseline event),
    /// "–" (no event in either window).
    static func rateRatio(_ row: Admin1Row) -> String {
        if let r = row.rateRatio, r.isFinite { return "×" + decimal(r) }
        return row.recentEvents > 0 ? "new" : "–"
    }

    /// "1 region", "2 regions".
    static func count(_ n: Int, _ singular: String, _ plural: String) -> String {
        "\(n) \(n == 1 ? singular : plural)"
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    /// A window as printed: "2025-06-09 – 2025-07-08 (30 days)".
    static func window(_ start: CivilDate, _ end: CivilDate) -> String {
        let days = end.dayNumber - start.dayNumber + 1
        return "\(start) – \(end) (\(count(days, "day", "days")))"
    }
}

/// The plain-language summary both HTML and Markdown open with. Sentences are unescaped text.
enum ReportSummary {
    /// How a category is phrased in the summary ("newly active").
    static func phrase(_ c: FlagCategory) -> String {
        switch c {
        case .new: "newly active"
        case .escalating: "escalating"
        case .persistent: "persistently active"
        case .cooling: "cooling"
        default: "flagged \(c.rawValue)"
        }
    }

    /// A region as named in the summary: "Kayes, Diboli (Kayes)".
    static func regionPhrase(_ r: FlaggedRegionSummary) -> String {
        r.admin1.isEmpty ? r.label() : "\(r.label()) (\(r.admin1.joined(separator: ", ")))"
    }

    static func sentences(_ doc: ReportDocument) -> [String] {
        var out: [String] = []
        let w = doc.windows
        if doc.flaggedRegions.isEmpty {
            out.append("No region of \(doc.areaName) is flagged as of \(doc.asOf).")
        } else {
            let groups = Dictionary(grouping: doc.flaggedRegions, by: \.category)
            for category in groups.keys.sorted() {
                let regions = groups[category]!
                let names = regions.map(regionPhrase).joined(separator: "; ")
                var s = "\(ReportText.count(regions.count, "region", "regions")) \(phrase(category)): \(names)."
                let significant = regions.filter(\.significant).count
                if significant == regions.count {
                    s += regions.count == 1 ? " It is statistically significant." : " All are statistically significant."
                } else if significant == 0 {
                    s += regions.count == 1
                        ? " It is not (yet) statistically significant: too few events to rule out chance."
                        : " None is (yet) statistically significant: too few events to rule out chance."
                } else {
                    s += " \(significant) of them \(significant == 1 ? "is" : "are") statistically significant."
                }
                out.append(s)
            }
        }
        out.append(
            "Recent window \(ReportText.window(w.recentStart, w.recentEnd)), compared with the baseline "
                + "\(ReportText.window(w.baselineStart, w.baselineEnd)).")
        if let c = doc.changesSinceLastRun {
            let since = c.previousAsOf.map { "Since the previous run (as of \($0))" } ?? "Since the previous run"
            var parts: [String] = []
            parts.append(c.new.isEmpty ? "no new region" : "new: \(ReportText.list(c.new))")
            parts.append(c.continuing.isEmpty ? "none continuing" : "continuing: \(ReportText.list(c.continuing))")
            parts.append(c.ended.isEmpty ? "none ended" : "ended: \(ReportText.list(c.ended))")
            out.append("\(since): \(parts.joined(separator: "; ")).")
        }
        return out
    }
}
