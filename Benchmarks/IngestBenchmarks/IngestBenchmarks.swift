import Benchmark
import Foundation
import RegionRisk

// Targets (issue 4, release build): parse and validate ≥ 300k rows/s; ingest 1M rows into an
// empty store < 15 s; re-ingest the same 1M (all unchanged) < 10 s; peak memory < 500 MB.
//
// Run: swift package --allow-writing-to-package-directory benchmark --target IngestBenchmarks
// Rows: INGEST_BENCH_ROWS (default 1,000,000). The input is a generated ACLED export
// (ACLEDFileGenerator, classic layout, seed 20240601) written to $TMPDIR/regionrisk-ingest-bench
// and reused by every benchmark process (the generator is deterministic); delete that folder
// afterwards (~0.8 GB for 1M rows).

/// The generated input and a store holding it, made once and shared by the benchmarks.
final class Fixture: @unchecked Sendable {
    static let shared = Fixture()
    let rows = Int(ProcessInfo.processInfo.environment["INGEST_BENCH_ROWS"] ?? "") ?? 1_000_000
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regionrisk-ingest-bench")
    private let lock = NSLock()
    private var fileReady = false
    private var storeReady = false

    var file: URL { dir.appendingPathComponent("acled-\(rows).csv") }
    var storePath: String { dir.appendingPathComponent("full-\(rows).sqlite").path }

    func prepareFile() throws {
        try lock.withLock {
            guard !fileReady else { return }
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: file.path) { try ACLEDFileGenerator(rows: rows).write(to: file) }
            fileReady = true
        }
    }

    func prepareStore() throws {
        try prepareFile()
        try lock.withLock {
            guard !storeReady else { return }
            let store = try IncidentStore(path: storePath)
            if try store.count() != rows { _ = try store.ingest(file: file, reader: IncidentFileReader()) }
            storeReady = true
        }
    }

    func freshStorePath() -> String {
        let path = dir.appendingPathComponent("empty-\(UUID().uuidString).sqlite").path
        return path
    }

    func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

let rowsPerSecond = BenchmarkMetric.custom("rows/s", polarity: .prefersLarger, useScalingFactor: false)

func timed(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let benchmarks: @Sendable () -> Void = {
    let heavy = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident, rowsPerSecond], timeUnits: .milliseconds, warmupIterations: 0,
        maxDuration: .seconds(300), maxIterations: 3, setup: { try Fixture.shared.prepareFile() })

    Benchmark("CSV records: split fields of an ACLED export", configuration: heavy) { benchmark in
        let f = Fixture.shared
        for _ in benchmark.scaledIterations {
            var fields = 0
            let seconds = try timed { try CSVReader(url: f.file).forEachRecord { fields += $0.count } }
            blackHole(fields)
            benchmark.measurement(rowsPerSecond, Int(Double(f.rows) / seconds))
        }
    }

    Benchmark("Parse and validate: ACLED export to incidents", configuration: heavy) { benchmark in
        let f = Fixture.shared
        for _ in benchmark.scaledIterations {
            var accepted = 0
            let seconds = try timed {
                try IncidentFileReader().stream(f.file, { _ in accepted += 1 }, rejected: { _ in })
            }
            precondition(accepted == f.rows)
            benchmark.measurement(rowsPerSecond, Int(Double(f.rows) / seconds))
        }
    }

    Benchmark("Ingest into an empty store", configuration: heavy) { benchmark in
        let f = Fixture.shared
        for _ in benchmark.scaledIterations {
            let path = f.freshStorePath()
            defer { f.remove(path) }
            var added = 0
            let seconds = try timed {
                added = try IncidentStore(path: path).ingest(file: f.file, reader: IncidentFileReader()).added
            }
            precondition(added == f.rows)
            benchmark.measurement(rowsPerSecond, Int(Double(f.rows) / seconds))
        }
    }

    var reingest = heavy
    reingest.setup = { try Fixture.shared.prepareStore() }
    Benchmark("Re-ingest the same export (all unchanged)", configuration: reingest) { benchmark in
        let f = Fixture.shared
        let store = try IncidentStore(path: f.storePath)
        for _ in benchmark.scaledIterations {
            var unchanged = 0
            let seconds = try timed {
                unchanged = try store.ingest(file: f.file, reader: IncidentFileReader()).unchanged
            }
            precondition(unchanged == f.rows)
            benchmark.measurement(rowsPerSecond, Int(Double(f.rows) / seconds))
        }
    }

    let query = Benchmark.Configuration(
        metrics: [.wallClock], timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 20,
        setup: { try Fixture.shared.prepareStore() })
    let window = IncidentQuery(since: CivilDate(year: 2024, month: 3, day: 1), until: CivilDate(year: 2024, month: 3, day: 31))
    Benchmark("Date-window query: one month of a 1M-event store", configuration: query) { benchmark in
        let store = try IncidentStore(path: Fixture.shared.storePath)
        for _ in benchmark.scaledIterations { blackHole(try store.query(window).count) }
    }
    Benchmark("Date-window count: one month of a 1M-event store", configuration: query) { benchmark in
        let store = try IncidentStore(path: Fixture.shared.storePath)
        for _ in benchmark.scaledIterations { blackHole(try store.count(window)) }
    }
    Benchmark("Date window and bbox query: one month around Mopti", configuration: query) { benchmark in
        let store = try IncidentStore(path: Fixture.shared.storePath)
        var q = window
        q.bbox = .init(west: -5, south: 13.5, east: -3.5, north: 15)
        for _ in benchmark.scaledIterations { blackHole(try store.query(q).count) }
    }
}
