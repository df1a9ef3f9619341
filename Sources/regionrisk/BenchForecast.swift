import Foundation
import RegionRisk

extension BenchCommand {
    /// `--forecast-events N`: times the forecast's fit on N simulated events over Mali.
    func runForecastBenchmark(events: Int) throws {
        let mali = try AreaOfInterest.embeddedMali()
        let scenario = try ForecastBenchmarkScenario.prepare(area: mali, events: events)
        var times: [Double] = []
        var fit: SelfExcitingFit?
        for _ in 0..<`repeat` {
            let start = DispatchTime.now().uptimeNanoseconds
            fit = try scenario.fit()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        guard let fit else { return }
        let wall = times.sorted()[times.count / 2]
        let names = SelfExcitingParameters.names
        if json {
            let doc: JSONValue = .object([
                ("software", RunMetadata.software),
                ("scenario", .string("forecast fit, \(scenario.points.count) simulated events over 10 years, Mali 10 km grid")),
                ("events", .number(Double(scenario.points.count))),
                ("wall_seconds", .number(wall)), ("runs", .array(times.map { .number($0) })),
                ("em_iterations", .number(Double(fit.emIterations))),
                ("truth", .object(zip(names, scenario.truth.vector).map { ($0, .number($1)) })),
                ("fit", fit.json),
                ("peak_memory_mb", .number((Double(peakResidentMemoryBytes()) / 1_048_576).rounded())),
            ])
            print(doc.serialized(pretty: true))
            return
        }
        print("forecast fit: \(scenario.points.count) simulated events over 10 years, Mali 10 km grid")
        print(String(format: "wall %.3f s (median of %d), %d EM iterations, peak %.0f MB", wall, times.count, fit.emIterations,
                     Double(peakResidentMemoryBytes()) / 1_048_576))
        for k in 0..<4 {
            let se = fit.standardErrors[k].map { String(format: "%.4g", $0) } ?? "n/a"
            print("  \(names[k].padding(toLength: 14, withPad: " ", startingAt: 0)) truth \(String(format: "%-10.4g", scenario.truth.vector[k])) fit \(String(format: "%-10.4g", fit.parameters.vector[k])) SE \(se)")
        }
    }
}
