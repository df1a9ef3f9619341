import Foundation

/// Approximate text extents for label placement. The report cannot measure text (no browser,
/// no font files), so widths are estimated per character, generously, for the common
/// sans-serif faces (DejaVu Sans, Arial, Helvetica): a label may be a little roomier than it
/// needs, never clipped or overlapping because it was underestimated.
enum TextMetrics {
    static func width(_ s: String, fontSize: Double, bold: Bool = false) -> Double {
        var w = 0.0
        for ch in s {
            switch ch {
            case "i", "l", "j", "I", ".", ",", ";", ":", "'", "|", "!", " ", "(", ")", "f", "t", "r": w += 0.36
            case "m", "w", "M", "W", "—", "…": w += 0.92
            default: w += ch.isUppercase || ch.isNumber ? 0.7 : 0.62
            }
        }
        return w * fontSize * (bold ? 1.08 : 1)
    }

    /// Line box height for a font size.
    static func lineHeight(_ fontSize: Double) -> Double { fontSize * 1.25 }

    /// Baseline offset from the top of the line box.
    static func baseline(_ fontSize: Double) -> Double { fontSize * 0.95 }
}

/// Greedy label placement: each label takes its first candidate position that lies on the
/// canvas and overlaps no label placed before it, else the candidate that overlaps least.
/// Callers place the most important labels first.
struct LabelPlacer {
    /// Labels must stay inside this rectangle (the map area).
    let canvas: PixelRect
    /// Rectangles of labels already placed: overlapping one costs most.
    private(set) var placed: [PixelRect] = []
    /// Features labels should not hide (flagged regions): overlapping one costs less.
    var obstacles: [PixelRect] = []

    init(canvas: PixelRect) { self.canvas = canvas }

    /// Moves `r` inside the canvas (it keeps its size; if wider than the canvas its left edge is kept).
    func clamped(_ r: PixelRect) -> PixelRect {
        var r = r
        r.x = min(max(r.x, canvas.x), max(canvas.maxX - r.width, canvas.x))
        r.y = min(max(r.y, canvas.y), max(canvas.maxY - r.height, canvas.y))
        return r
    }

    /// Chooses among `candidates` (in order of preference), records and returns the choice.
    /// `ownFeature` is the labelled feature's own box: it is not an obstacle to its label.
    mutating func place(_ candidates: [PixelRect], ownFeature: PixelRect? = nil) -> PixelRect {
        precondition(!candidates.isEmpty)
        var best: (rect: PixelRect, cost: Double)?
        for c in candidates.map(clamped) {
            var cost = 0.0
            for p in placed { cost += 10 * p.overlapArea(c) }
            for o in obstacles where o != ownFeature { cost += o.overlapArea(c) }
            if let own = ownFeature { cost += 0.5 * own.overlapArea(c) }
            if cost == 0 { best = (c, 0); break }
            if best == nil || cost < best!.cost { best = (c, cost) }
        }
        placed.append(best!.rect)
        return best!.rect
    }

    /// Positions around a target box, nearest first: right, left, above, below, then the
    /// diagonals, then the same further out.
    static func around(_ target: PixelRect, width w: Double, height h: Double) -> [PixelRect] {
        var out: [PixelRect] = []
        for gap in [4.0, 12.0, 26.0, 46.0, 72.0] {
            out.append(PixelRect(x: target.maxX + gap, y: target.midY - h / 2, width: w, height: h))
            out.append(PixelRect(x: target.x - gap - w, y: target.midY - h / 2, width: w, height: h))
            out.append(PixelRect(x: target.midX - w / 2, y: target.y - gap - h, width: w, height: h))
            out.append(PixelRect(x: target.midX - w / 2, y: target.maxY + gap, width: w, height: h))
            out.append(PixelRect(x: target.maxX + gap, y: target.y - gap - h, width: w, height: h))
            out.append(PixelRect(x: target.x - gap - w, y: target.y - gap - h, width: w, height: h))
            out.append(PixelRect(x: target.maxX + gap, y: target.maxY + gap, width: w, height: h))
            out.append(PixelRect(x: target.x - gap - w, y: target.maxY + gap, width: w, height: h))
        }
        return out
    }

    /// Positions centred on a point, then shifted up and down by whole lines, then sideways.
    static func centred(on p: (x: Double, y: Double), width w: Double, height h: Double) -> [PixelRect] {
        var out: [PixelRect] = []
        for dy in [0.0, -1, 1, -2, 2, -3, 3] {
            out.append(PixelRect(x: p.x - w / 2, y: p.y - h / 2 + dy * h, width: w, height: h))
        }
        for dx in [-0.6, 0.6] {
            for dy in [0.0, -1, 1] {
                out.append(PixelRect(x: p.x - w / 2 + dx * w, y: p.y - h / 2 + dy * h, width: w, height: h))
            }
        }
        return out
    }
}
