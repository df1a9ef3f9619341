import ArgumentParser
import Foundation
import RegionRisk

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time grid density computation on fixed scenarios, to compare machines and settings.",
        discussion: """
            Scenarios: Mali's grid at 5, 2 and 1 km; 10k, 100k and 1M synthetic events (the same generator and seed
            as the benchmark suite); quartic 50 km (exact) and Gaussian σ = 50 km (error bound printed). Each is
            timed from projected events in memory to the finished density array, repeated --repeat times; the
            median is shown. Peak memory is the process's high-water mark after the scenario. Build with
            `swift build -c release` for meaningful figures.
            """)

    @Flag(help: "Machine-readable output: one JSON object.")
    var json = false

    @Option(help: "Runs per scenario; the median is reported.")
    var `repeat`: Int = 3

    @Option(name: .customLong("cell-km"), help: "Only these cell sizes (comma-separated km, e.g. 5,2).")
    var cellKm: String?

    @Option(help: "Only these event counts (comma-separated, e.g. 10000,100000).")
    var events: String?

    @Option(help: "Only these kernels (comma-separated: quartic, gaussian, …).")
    var kernels: String?

    func validate() throws {
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
        _ = try scenarios()
    }

    func scenarios() throws -> [DensityScenario] {
        func list<T>(_ option: String, _ text: String?, _ parse: (String) -> T?) throws -> [T]? {
            guard let text else { return nil }
            let values = text.split(separator: ",").map { parse($0.trimmingCharacters(in: .whitespaces)) }
            guard values.allSatisfy({ $0 != nil }), !values.isEmpty else {
                throw ValidationError("\(option) \"\(text)\": expected a comma-separated list, e.g. \(option == "--kernels" ? "quartic,gaussian" : "5,2,1")")
            }
            return values.map { $0! }
        }
        let cells = try list("--cell-km", cellKm) { Double($0).flatMap { $0 > 0 ? $0 : nil } } ?? [5, 2, 1]
        let counts = try list("--events", events) { Int($0).flatMap { $0 > 0 ? $0 : nil } } ?? [10_000, 100_000, 1_000_000]
        let shapes = try list("--kernels", kernels) { KernelShape(rawValue: $0) } ?? [.quartic, .gaussian]
        return cells.flatMap { c in counts.flatMap { n in shapes.map { DensityScenario(cellSizeKm: c, events: n, kernel: $0) } } }
    }

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        let mali = try AreaOfInterest.embeddedMali()
        var rows: [JSONValue] = []
        if !json {
            print("scenario".padding(toLength: 48, withPad: " ", startingAt: 0) + "   wall s      cells/s     events/s   peak MB  error bound")
        }
        for scenario in try scenarios() {
            let prepared = try scenario.prepare(area: mali)
            var times: [Double] = []
            var bound = 0.0
            for _ in 0..<`repeat` {
                let start = DispatchTime.now().uptimeNanoseconds
                let result = try scenario.run(prepared)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                bound = result.errorBound
            }
            let wall = times.sorted()[times.count / 2]
            let cells = Double(prepared.grid.spec.cellCount)
            let peakMB = Double(peakResidentMemoryBytes()) / 1_048_576
            rows.append(.object([
                ("scenario", .string(scenario.name)), ("cell_km", .number(scenario.cellSizeKm)),
                ("events", .number(Double(scenario.events))), ("kernel", .string(scenario.kernel.rawValue)),
                ("bandwidth_km", .number(scenario.bandwidthKm)), ("cells", .number(cells)),
                ("wall_seconds", .number(wall)), ("cells_per_second", .number(cells / wall)),
                ("events_per_second", .number(Double(scenario.events) / wall)), ("peak_memory_mb", .number(peakMB.rounded())),
                ("error_bound", .number(bound)), ("runs", .array(times.map { .number($0) })),
            ]))
            if !json {
                print(scenario.name.padding(toLength: 48, withPad: " ", startingAt: 0)
                      + String(format: " %8.3f %12.3g %12.3g %9.0f  %.2g", wall, cells / wall, Double(scenario.events) / wall, peakMB, bound))
            }
        }
        if json {
            let doc: JSONValue = .object([
                ("software", RunMetadata.software),
                ("machine", .object([("cores", .number(Double(ProcessInfo.processInfo.activeProcessorCount))),
                                     ("memory_gb", .number((Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824).rounded()))])),
                ("scenarios", .array(rows)),
            ])
            print(doc.serialized(pretty: true))
        }
    }
}
