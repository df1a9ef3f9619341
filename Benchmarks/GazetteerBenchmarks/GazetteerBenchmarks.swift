import Benchmark
import Foundation
import RegionRisk

// Gazetteer speed on the real GeoNames dump for Mali (../shared/geodata/mali/geonames-ML.txt,
// 24,312 places). Targets from the issue: cache load < 100 ms, ≥ 10,000 fuzzy lookups/s on one
// core. Without ../shared only the embedded-data benchmarks run.
// Run: swift package --allow-writing-to-package-directory benchmark --target GazetteerBenchmarks

let sharedDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared")
let dumpURL = sharedDirectory.appendingPathComponent("geodata/mali/geonames-ML.txt")
let reportURL = sharedDirectory.appendingPathComponent("seed/mali-attacks-report.txt")
let haveDump = FileManager.default.fileExists(atPath: dumpURL.path)

/// A cache folder of this run, written once before the load benchmark.
let cacheDirectory = FileManager.default.temporaryDirectory
    .appendingPathComponent("regionrisk-gazetteer-benchmark-\(getpid())", isDirectory: true)

/// Typos of real names: every 40th populated place of five letters or more with its middle
/// character dropped (deterministic, so runs compare).
func typoQueries(_ gazetteer: Gazetteer) -> [String] {
    let names = gazetteer.places.filter { $0.featureClass == "P" && $0.asciiName.count >= 5 }.map(\.asciiName)
    return stride(from: 0, to: names.count, by: 40).map { i in
        var chars = Array(names[i])
        chars.remove(at: chars.count / 2)
        return String(chars)
    }
}

let benchmarks: @Sendable () -> Void = {
    let lookups = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo, maxDuration: .seconds(3))
    let loads = Benchmark.Configuration(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(3), maxIterations: 100)

    Benchmark("Load: Mali dump from its cache", configuration: Benchmark.Configuration(
        metrics: loads.metrics, maxDuration: loads.maxDuration, maxIterations: loads.maxIterations, skip: !haveDump,
        setup: { _ = try Gazetteer.load(geonamesDump: dumpURL, cacheDirectory: cacheDirectory) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let g = try Gazetteer.load(geonamesDump: dumpURL, cacheDirectory: cacheDirectory)
            precondition(g.places.count == 24312)
            blackHole(g)
        }
    }

    // The embedded default (18,146 places) loads through the same cache on every run after the
    // first; compare with "Load: Mali dump from its cache" (24,312 places) of the same run.
    Benchmark("Load: embedded Mali gazetteer from its cache", configuration: Benchmark.Configuration(
        metrics: loads.metrics, maxDuration: loads.maxDuration, maxIterations: loads.maxIterations,
        setup: { _ = try Gazetteer.loadEmbeddedMali(cacheDirectory: cacheDirectory) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let g = try Gazetteer.loadEmbeddedMali(cacheDirectory: cacheDirectory)
            precondition(g.places.count == 18_146)
            blackHole(g)
        }
    }

    Benchmark("Load: embedded Mali gazetteer parsed and indexed (first run)", configuration: Benchmark.Configuration(
        metrics: loads.metrics, maxDuration: .seconds(5), maxIterations: 10)
    ) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try Gazetteer.loadEmbeddedMali(cacheDirectory: nil)) }
    }

    Benchmark("Load: Mali dump parsed and indexed (first import)", configuration: Benchmark.Configuration(
        metrics: loads.metrics, maxDuration: .seconds(5), maxIterations: 10, skip: !haveDump)
    ) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try Gazetteer.load(geonamesDump: dumpURL, cacheDirectory: nil)) }
    }

    /// One `geocode` per scaled iteration, cycling through the queries `setup` prepares.
    func lookupBenchmark(_ name: String, skip: Bool = false, setup: @escaping () throws -> (Gazetteer, [String])) {
        Benchmark(name, configuration: Benchmark.Configuration(
            metrics: lookups.metrics, scalingFactor: .kilo, maxDuration: lookups.maxDuration, skip: skip)
        ) { (benchmark, state: (Gazetteer, [String])) in
            let (gazetteer, queries) = state
            for i in benchmark.scaledIterations { blackHole(try? gazetteer.geocode(queries[i % queries.count])) }
        } setup: {
            try setup()
        }
    }

    lookupBenchmark("Lookup: fuzzy (one letter dropped), full Mali dump", skip: !haveDump) {
        let g = try Gazetteer.load(geonamesDump: dumpURL, cacheDirectory: nil)
        return (g, typoQueries(g))
    }

    lookupBenchmark("Lookup: exact names, full Mali dump", skip: !haveDump) {
        let g = try Gazetteer.load(geonamesDump: dumpURL, cacheDirectory: nil)
        let names = g.places.filter { $0.featureClass == "P" }.map(\.asciiName)
        return (g, stride(from: 0, to: names.count, by: 40).map { names[$0] })
    }

    lookupBenchmark("Lookup: fuzzy, embedded Mali gazetteer") {
        let g = try Gazetteer.embeddedMali()
        return (g, g.places.map { String($0.asciiName.dropLast()) })
    }

    Benchmark("Mentions: seed report, full Mali dump", configuration: Benchmark.Configuration(
        metrics: [.wallClock, .throughput], maxDuration: .seconds(3),
        skip: !haveDump || !FileManager.default.fileExists(atPath: reportURL.path))
    ) { (benchmark, state: (Gazetteer, String)) in
        let (gazetteer, text) = state
        for _ in benchmark.scaledIterations { blackHole(gazetteer.mentions(inText: text)) }
    } setup: {
        let g = try Gazetteer.load(geonamesDump: dumpURL, cacheDirectory: nil)
        return (g, try String(contentsOf: reportURL, encoding: .utf8))
    }
}
