import Benchmark
import RegionRisk

let benchmarks: @Sendable () -> Void = {
    Benchmark("placeholder") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(CivilDate(year: 2025, month: 7, day: 1)) }
    }
}
