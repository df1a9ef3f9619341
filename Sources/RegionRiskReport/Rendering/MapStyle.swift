import Foundation

/// Colours and strokes of the map, shared with the HTML tables' category badges.
enum MapStyle {
    /// ColorBrewer YlOrRd (9 classes, sequential, colour-blind safe, prints in grey).
    static let densityStops: [(Double, Double, Double)] = [
        (255, 255, 204), (255, 237, 160), (254, 217, 118), (254, 178, 76), (253, 141, 60),
        (252, 78, 42), (227, 26, 28), (189, 0, 38), (128, 0, 38),
    ]

    /// `n` colours from light to dark. The palest yellow is skipped: it vanishes on the
    /// white country fill.
    static func densityRamp(_ n: Int) -> [String] {
        guard n > 0 else { return [] }
        return (0..<n).map { i in
            let t = n == 1 ? 0.5 : 0.1 + 0.9 * Double(i) / Double(n - 1)
            let pos = t * Double(densityStops.count - 1)
            let k = min(Int(pos), densityStops.count - 2)
            let f = pos - Double(k)
            let a = densityStops[k], b = densityStops[k + 1]
            return hex(a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f)
        }
    }

    static func hex(_ r: Double, _ g: Double, _ b: Double) -> String {
        func c(_ v: Double) -> String {
            let i = Int(min(max(v.rounded(), 0), 255))
            return String(i, radix: 16).count == 1 ? "0" + String(i, radix: 16) : String(i, radix: 16)
        }
        return "#" + c(r) + c(g) + c(b)
    }

    /// Outline colours of flagged regions: cool and dark, so that they stand out from the
    /// warm density fills beneath them.
    static func colour(_ c: FlagCategory) -> String {
        switch c {
        case .new: return "#1f5fbf"
        case .escalating: return "#7b2a9b"
        case .persistent: return "#252525"
        case .cooling: return "#1b7837"
        default:
            // Other categories (e.g. EHSA's) get a fixed colour from their name, the same every run.
            let palette = ["#01665e", "#8c510a", "#c51b7d", "#35978f", "#542788", "#b35806", "#4d4d4d", "#2d6a4f"]
            var h: UInt32 = 2_166_136_261
            for b in c.rawValue.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
            return palette[Int(h % UInt32(palette.count))]
        }
    }

    /// Dash pattern for regions that are flagged but not statistically significant.
    static let notSignificantDash = "6 4"

    static let fontFamily = "system-ui, 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"
    static let background = "#e9eef2"
    static let countryFill = "#ffffff"
    static let countryStroke = "#2b2b2b"
    static let borderStroke = "#8f8f8f"
    static let regionNameColour = "#555555"
}
