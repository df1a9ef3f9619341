import Foundation
import RegionRiskAnalysis
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Renders a `BacktestResult`: a plain-text table, a JSON document, and a self-contained HTML page
/// with SVG charts (lift by method, reliability, expected against observed per origin).
public enum BacktestReport {
    static func fmt(_ v: Double, _ digits: Int = 3) -> String {
        v.isFinite ? String(format: "%.\(digits)f", v) : "n/a"
    }

    public static func table(_ r: BacktestResult) -> String {
        var s = "method               flagged  onsets caught    lift  onset share     PAI\n"
        for m in r.methods {
            s += m.method.padding(toLength: 18, withPad: " ", startingAt: 0)
            s += String(format: "%9.0f", m.flaggedCells) + String(format: "%15.1f", m.onsetsCaught)
            s += fmt(m.lift, 2).leftPadded(8) + fmt(m.onsetShare, 3).leftPadded(13) + fmt(m.pai, 2).leftPadded(8) + "\n"
        }
        let scored = r.origins.filter { $0.note == nil }
        let onsets = scored.reduce(0) { $0 + $1.onsetEvents }
        let quiet = scored.reduce(0) { $0 + $1.quietCells }
        s += "\n\(scored.count) origins scored of \(r.origins.count); \(r.observedTotal) outcome events, \(onsets) onsets in \(quiet) quiet cell-origins\n"
        s += "expected \(fmt(r.expectedTotal, 1)) vs observed \(r.observedTotal)"
        if r.observedTotal > 0 { s += " (ratio \(fmt(r.expectedTotal / Double(r.observedTotal), 2)))" }
        s += "\nBrier \(String(format: "%.5f", r.brier)) (uniform reference \(String(format: "%.5f", r.brierUniform)))"
        s += "; Poisson log-likelihood \(fmt(r.logLikelihood, 1)) (uniform reference \(fmt(r.logLikelihoodUniform, 1)))\n"
        s += "\nreliability by decile of expected\ndecile    cells  mean expected  mean observed\n"
        for b in r.reliability {
            s += String(format: "%6d %8d", b.decile, b.cells) + String(format: "%15.5f", b.meanExpected) + String(format: "%15.5f", b.meanObserved) + "\n"
        }
        s += "\norigin      fitted  expected  observed  onsets  quiet  naive  forecast caught  naive caught\n"
        for o in r.origins {
            if let note = o.note { s += "\(o.asOf)  \(note)\n"; continue }
            s += "\(o.asOf)" + String(format: "%8d", o.eventsFitted) + fmt(o.expectedTotal, 1).leftPadded(10)
            s += String(format: "%10d%8d%7d%7d", o.outcomeEvents, o.onsetEvents, o.quietCells, o.flagged["naive"] ?? 0)
            s += String(format: "%17.0f%14.0f", o.caught["forecast"] ?? 0, o.caught["naive"] ?? 0) + "\n"
        }
        return s
    }

    static func number(_ v: Double) -> JSONValue { v.isFinite ? .number(v) : .null }

    public static func json(_ r: BacktestResult, inputs: [JSONValue]) -> JSONValue {
        .object([
            ("software", RunMetadata.software),
            ("parameters", r.parameters.json),
            ("methods", .array(r.methods.map { m in
                .object([
                    ("method", .string(m.method)), ("flagged_cells", number(m.flaggedCells)), ("onsets_caught", number(m.onsetsCaught)),
                    ("lift", number(m.lift)), ("onset_share", number(m.onsetShare)), ("pai", number(m.pai)),
                ])
            })),
            ("brier", number(r.brier)), ("brier_uniform", number(r.brierUniform)),
            ("log_likelihood", number(r.logLikelihood)), ("log_likelihood_uniform", number(r.logLikelihoodUniform)),
            ("expected_total", number(r.expectedTotal)), ("observed_total", .number(Double(r.observedTotal))),
            ("reliability", .array(r.reliability.map { b in
                .object([("decile", .number(Double(b.decile))), ("cells", .number(Double(b.cells))),
                         ("mean_expected", number(b.meanExpected)), ("mean_observed", number(b.meanObserved))])
            })),
            ("origins", .array(r.origins.map { o in
                var items: [(String, JSONValue)] = [
                    ("as_of", .string(o.asOf.description)), ("events_fitted", .number(Double(o.eventsFitted))),
                    ("cells_in_area", .number(Double(o.cellsInArea))), ("quiet_cells", .number(Double(o.quietCells))),
                    ("outcome_events", .number(Double(o.outcomeEvents))), ("onset_events", .number(Double(o.onsetEvents))),
                    ("expected_total", number(o.expectedTotal)),
                    ("flagged", .object(o.flagged.sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) })),
                    ("caught", .object(o.caught.sorted { $0.key < $1.key }.map { ($0.key, number($0.value)) })),
                ]
                if let f = o.fit {
                    items.append(("fit", .object(zip(SelfExcitingParameters.names, f.vector).map { ($0, number($1)) })))
                }
                if let note = o.note { items.append(("note", .string(note))) }
                return .object(items)
            })),
            ("inputs", .array(inputs)),
        ])
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Lift per method as horizontal bars; a rule at 1 (random's expectation).
    static func liftChart(_ r: BacktestResult) -> String {
        let methods = r.methods.filter { $0.lift.isFinite }
        let width = 560.0, rowH = 26.0, left = 150.0
        let height = Double(methods.count) * rowH + 40
        let maxLift = max(1.5, methods.map(\.lift).max() ?? 1) * 1.1
        let scale = (width - left - 60) / maxLift
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Lift by method\">"
        for (k, m) in methods.enumerated() {
            let y = 10 + Double(k) * rowH
            s += "<text x=\"\(left - 8)\" y=\"\(fmt(y + 16, 1))\" text-anchor=\"end\" font-size=\"13\">\(escape(m.method))</text>"
            s += "<rect x=\"\(left)\" y=\"\(fmt(y + 4, 1))\" width=\"\(fmt(m.lift * scale, 1))\" height=\"16\" fill=\"\(m.method.hasPrefix("forecast") ? "#b2182b" : "#6b7a8f")\"/>"
            s += "<text x=\"\(fmt(left + m.lift * scale + 4, 1))\" y=\"\(fmt(y + 16, 1))\" font-size=\"12\">\(fmt(m.lift, 2))</text>"
        }
        let x1 = left + scale
        s += "<line x1=\"\(fmt(x1, 1))\" x2=\"\(fmt(x1, 1))\" y1=\"4\" y2=\"\(fmt(height - 24, 1))\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>"
        s += "<text x=\"\(fmt(x1, 1))\" y=\"\(fmt(height - 8, 1))\" text-anchor=\"middle\" font-size=\"11\">lift 1 (random)</text></svg>"
        return s
    }

    /// Mean observed against mean expected per decile, on square-root axes, with the diagonal.
    static func reliabilityChart(_ r: BacktestResult) -> String {
        let size = 320.0, pad = 44.0
        let top = max(r.reliability.map { max($0.meanExpected, $0.meanObserved) }.max() ?? 1, 1e-6)
        func px(_ v: Double) -> Double { pad + (v / top).squareRoot() * (size - 2 * pad) }
        func py(_ v: Double) -> Double { size - pad - (v / top).squareRoot() * (size - 2 * pad) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(size))\" height=\"\(Int(size))\" role=\"img\" aria-label=\"Reliability\">"
        s += "<rect x=\"\(pad)\" y=\"\(pad)\" width=\"\(size - 2 * pad)\" height=\"\(size - 2 * pad)\" fill=\"none\" stroke=\"#999\"/>"
        s += "<line x1=\"\(px(0))\" y1=\"\(py(0))\" x2=\"\(px(top))\" y2=\"\(py(top))\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>"
        for b in r.reliability {
            s += "<circle cx=\"\(fmt(px(b.meanExpected), 1))\" cy=\"\(fmt(py(b.meanObserved), 1))\" r=\"4\" fill=\"#b2182b\"><title>decile \(b.decile): expected \(fmt(b.meanExpected, 4)), observed \(fmt(b.meanObserved, 4))</title></circle>"
        }
        s += "<text x=\"\(size / 2)\" y=\"\(size - 10)\" text-anchor=\"middle\" font-size=\"12\">mean expected per cell (√ scale, top \(fmt(top, 3)))</text>"
        s += "<text x=\"14\" y=\"\(size / 2)\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 \(size / 2))\">mean observed per cell</text></svg>"
        return s
    }

    /// Expected and observed outcome events per origin.
    static func originsChart(_ r: BacktestResult) -> String {
        let scored = r.origins.filter { $0.note == nil }
        let width = 560.0, height = 220.0, pad = 40.0
        guard scored.count > 0 else { return "" }
        let top = max(scored.map { max($0.expectedTotal, Double($0.outcomeEvents)) }.max() ?? 1, 1)
        let step = (width - 2 * pad) / Double(max(scored.count - 1, 1))
        func x(_ k: Int) -> Double { pad + Double(k) * step }
        func y(_ v: Double) -> Double { height - pad - v / top * (height - 2 * pad) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Expected and observed per origin\">"
        s += "<polyline fill=\"none\" stroke=\"#b2182b\" stroke-width=\"2\" points=\"" + scored.indices.map { "\(fmt(x($0), 1)),\(fmt(y(scored[$0].expectedTotal), 1))" }.joined(separator: " ") + "\"/>"
        s += "<polyline fill=\"none\" stroke=\"#333\" stroke-width=\"2\" stroke-dasharray=\"5 3\" points=\"" + scored.indices.map { "\(fmt(x($0), 1)),\(fmt(y(Double(scored[$0].outcomeEvents)), 1))" }.joined(separator: " ") + "\"/>"
        s += "<text x=\"\(pad)\" y=\"16\" font-size=\"12\" fill=\"#b2182b\">expected</text><text x=\"\(pad + 70)\" y=\"16\" font-size=\"12\">observed (dashed)</text>"
        s += "<text x=\"\(pad)\" y=\"\(height - 12)\" font-size=\"11\">\(scored.first!.asOf)</text>"
        s += "<text x=\"\(width - pad)\" y=\"\(height - 12)\" font-size=\"11\" text-anchor=\"end\">\(scored.last!.asOf)</text>"
        s += "<text x=\"6\" y=\"\(fmt(y(top) + 4, 1))\" font-size=\"11\">\(fmt(top, 0))</text></svg>"
        return s
    }

    public static func html(_ r: BacktestResult, title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}pre{background:#f6f6f6;padding:1em;overflow-x:auto}h2{margin-top:1.6em}</style>
        </head><body>
        <h1>\(escape(title))</h1>
        <p>Rolling origins from \(r.parameters.from) to \(r.parameters.to), \(r.parameters.horizonDays)-day outcomes, \(fmt(r.parameters.cellSizeKm, 0)) km cells; the forecast at each origin is fitted on events dated on or before it only.</p>
        <h2>Lift at equal flagged area</h2>
        \(liftChart(r))
        <h2>Reliability (deciles of expected)</h2>
        \(reliabilityChart(r))
        <h2>Expected and observed per origin</h2>
        \(originsChart(r))
        <h2>Table</h2>
        <pre>\(escape(table(r)))</pre>
        </body></html>

        """
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
