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
            timed from projected events in memory to the finished density array, after --warmup untimed runs,
            repeated --repeat times; the median is shown. Peak memory is the scenario's own resident high-water
            mark (reset before it is prepared, so it includes its grid, mask, events and result), shown beside the
            grid's own bytes (8 per cell). Mask s is the time to mask the grid's cell centres with the area's
            outline (scanline). --area africa runs the same scenarios on Africa's embedded DCW outline
            (continent scale); --peer-grid on the peer harness's grid (Mali's bounding box, every cell), and
            --events-file reads the event positions from a file instead of the synthetic generator, as
            Benchmarks/compare-peers.sh does. Build with `swift build -c release` for meaningful figures.
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

    @Option(name: .customLong("forecast-events"), help: "Instead: time the forecast's fit (bandwidth selection, EM, standard errors) on this many simulated events over Mali.")
    var forecastEvents: Int?

    @Option(help: "The area whose grid is used: mali (embedded default), africa (embedded DCW outline), or a GeoJSON file.")
    var area: String = "mali"

    @Flag(name: .customLong("peer-grid"), help: "Use the peer harness's grid (Mali's bounding box, every cell counts) instead of --area.")
    var peerGrid = false

    @Option(name: .customLong("events-file"), help: "Read event positions from this incident file (ACLED, UCDP, CSV with latitude/longitude, GeoJSON) instead of generating --events synthetic ones.")
    var eventsFile: String?

    @Option(help: "Untimed runs per scenario before the timed ones.")
    var warmup: Int = 1

    @Option(name: .customLong("tile-cells"), help: "Also compute each quartic scenario tile by tile (tiles of about N × N cells, each from its halo's events) and report the time per tile and whether the assembled grid equals the untiled one.")
    var tileCells: Int?

    @Option(help: ArgumentHelp("Instead: time the date-window query (--window) on this store (SQLite path or postgresql:// URL), events read and decoded but not written.", valueName: "db"))
    var store: String?

    @Option(help: ArgumentHelp("The days of --store's window query.", valueName: "first,last"))
    var window: String?

    func validate() throws {
        try OptionLimits.check("--repeat", `repeat`, in: 1...1_000)
        if (store == nil) != (window == nil) { throw ValidationError("--store and --window go together") }
        if let forecastEvents, forecastEvents < 10 || forecastEvents > 10_000_000 {
            throw ValidationError("--forecast-events must be between 10 and 10000000")
        }
        guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more") }
        if let tileCells, tileCells < 1 { throw ValidationError("--tile-cells must be at least 1") }
        if peerGrid, let bad = try scenarios().first(where: { (5 / $0.cellSizeKm).rounded() != 5 / $0.cellSizeKm }) {
            throw ValidationError("--peer-grid needs cell sizes that divide 5 km (the harness's snapping); got \(bad.cellSizeKm) km")
        }
        _ = try scenarios()
    }

    func scenarios() throws -> [DensityScenario] {
        func list<T>(_ option: String, _ text: String?, _ parse: (String) -> T?) throws -> [T]? {
            guard let text else { return nil }
            let values = text.split(separator: ",").map { parse($0.trimmingCharacters(in: .whitespaces)) }
            guard values.allSatisfy({ $0 != nil }), !values.isEmpty else {
                throw ValidationError("\(option) \"\(text)\": expected a comma-separated list, e.g. \(option == "--kernels" ? "quartic,gaussian" : "5,2,1") (cells 0.01 to 1000 km, events 1 to 10000000)")
            }
            return values.map { $0! }
        }
        let cells = try list("--cell-km", cellKm) { Double($0).flatMap { ParameterLimits.cellSizeKm.contains($0) ? $0 : nil } } ?? [5, 2, 1]
        let counts = try list("--events", events) { Int($0).flatMap { (1...10_000_000).contains($0) ? $0 : nil } } ?? [10_000, 100_000, 1_000_000]
        let shapes = try list("--kernels", kernels) { KernelShape(rawValue: $0) } ?? [.quartic, .gaussian]
        return cells.flatMap { c in counts.flatMap { n in shapes.map { DensityScenario(cellSizeKm: c, events: n, kernel: $0) } } }
    }

    func loadArea() throws -> AreaOfInterest {
        switch area.lowercased() {
        case "mali": return try AreaOfInterest.embeddedMali()
        case "africa": return try AreaOfInterest.embeddedAfrica()
        default: return try AreaOfInterest.load(from: URL(fileURLWithPath: area))
        }
    }

    /// Event positions from --events-file; rows that cannot be read are counted and reported.
    func loadPositions() throws -> [LonLat]? {
        guard let eventsFile else { return nil }
        let url = URL(fileURLWithPath: eventsFile)
        let read = try IncidentFileReader(latestDate: CivilDate(year: 9999, month: 12, day: 31)).read(url)
        if !read.rejected.isEmpty {
            Console.standard.warning("\(eventsFile): \(read.rejected.count) rows not read (first: line \(read.rejected[0].line): \(read.rejected[0].reason))",
                                     event: "rows_rejected",
                                     ["path": .string(eventsFile), "count": .number(read.rejected.count), "line": .number(read.rejected[0].line)])
        }
        guard !read.incidents.isEmpty else { throw ValidationError("--events-file \(eventsFile): no usable events") }
        return read.incidents.map(\.location)
    }

    /// Computes the scenario tile by tile, each tile from its halo's events, timing each tile's
    /// computation (the halo selection is timed apart: a distributed engine does it when it reads).
    func tileReport(prepared: DensityScenario.Prepared, scenario: DensityScenario, tileCells: Int, untiled: [Double]) throws -> JSONValue {
        let grid = prepared.grid.spec
        let tiles = try TiledDensity.plan(grid: grid, kernel: scenario.kernel, bandwidthKm: scenario.bandwidthKm,
                                          rowsPerTile: tileCells, columnsPerTile: tileCells)
        var assembled = [Double](repeating: 0, count: grid.cellCount)
        var tileSeconds: [Double] = [], haloSeconds: [Double] = [], haloEvents: [Double] = []
        for tile in tiles {
            var start = DispatchTime.now().uptimeNanoseconds
            let halo = TiledDensity.events(inHaloOf: tile, from: prepared.events, grid: grid, bandwidthKm: scenario.bandwidthKm)
            haloSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            haloEvents.append(Double(halo.count))
            start = DispatchTime.now().uptimeNanoseconds
            let values = try TiledDensity.compute(tile: tile, events: halo, grid: grid, kernel: scenario.kernel,
                                                  bandwidthKm: scenario.bandwidthKm)
            tileSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            TiledDensity.place(values, of: tile, into: &assembled, grid: grid)
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        let cellsPerTile = tiles.map { Double($0.cellCount) }
        return .object([
            ("count", .number(Double(tiles.count))), ("median_cells", .number(median(cellsPerTile))),
            ("median_seconds", .number(median(tileSeconds))), ("max_seconds", .number(tileSeconds.max() ?? 0)),
            ("total_seconds", .number(tileSeconds.reduce(0, +))),
            ("median_halo_events", .number(median(haloEvents))), ("median_halo_select_seconds", .number(median(haloSeconds))),
            ("identical_to_untiled", .bool(assembled == untiled)),
        ])
    }

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        if let forecastEvents { return try runForecastBenchmark(events: forecastEvents) }
        if let store, let window { return try runStoreWindowBenchmark(store: store, window: window) }
        let aoi = peerGrid ? nil : try loadArea()
        let positions = try loadPositions()
        var scenarios = try scenarios()
        if let positions {
            // One scenario per cell size and kernel: the file fixes the events.
            var seen = Set<String>()
            scenarios = scenarios.map { DensityScenario(cellSizeKm: $0.cellSizeKm, events: positions.count, kernel: $0.kernel) }
                .filter { seen.insert("\($0.cellSizeKm) \($0.kernel)").inserted }
        }
        var rows: [JSONValue] = []
        if !json {
            print("scenario".padding(toLength: 52, withPad: " ", startingAt: 0)
                  + "   wall s        cells   events/s   mask s   grid MB   peak MB  error bound")
        }
        var gridCache: [Double: (grid: AreaGrid, maskSeconds: Double)] = [:]
        for scenario in scenarios {
            let resetWorked = MemoryHighWater.reset()
            let (grid, maskSeconds): (AreaGrid, Double)
            if let cached = gridCache[scenario.cellSizeKm] {
                (grid, maskSeconds) = cached
            } else {
                let start = DispatchTime.now().uptimeNanoseconds
                let made = peerGrid ? try AreaGrid.peerHarness(cellSizeKm: scenario.cellSizeKm)
                    : try AreaGrid.make(area: aoi!, cellSizeKm: scenario.cellSizeKm)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                gridCache = [scenario.cellSizeKm: (made, seconds)]  // one grid alive at a time
                (grid, maskSeconds) = (made, seconds)
            }
            let prepared = try positions.map { try scenario.prepare(grid: grid, positions: $0) } ?? scenario.prepare(grid: grid)
            var times: [Double] = []
            var bound = 0.0
            var tiling: JSONValue = .null
            for run in 0..<(warmup + `repeat`) {
                let start = DispatchTime.now().uptimeNanoseconds
                let result = try scenario.run(prepared)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if run >= warmup { times.append(seconds) }
                bound = result.errorBound
                if run == warmup + `repeat` - 1, let tileCells, scenario.kernel == .quartic {
                    tiling = try tileReport(prepared: prepared, scenario: scenario, tileCells: tileCells, untiled: result.values)
                }
            }
            let wall = times.sorted()[times.count / 2]
            let cells = Double(prepared.grid.spec.cellCount)
            let peakMB = Double(MemoryHighWater.peakBytes()) / 1_048_576
            let gridMB = cells * 8 / 1_048_576
            let name = (peerGrid ? "peer grid" : grid.area.name) + " " + scenario.name.split(separator: " ").dropFirst().joined(separator: " ")
            rows.append(.object([
                ("scenario", .string(name)), ("area", .string(peerGrid ? "peer-grid" : grid.area.name)),
                ("cell_km", .number(scenario.cellSizeKm)),
                ("events", .number(Double(prepared.events.count))), ("kernel", .string(scenario.kernel.rawValue)),
                ("bandwidth_km", .number(scenario.bandwidthKm)), ("cells", .number(cells)),
                ("cells_inside", .number(Double(grid.cellsInside))), ("mask_seconds", .number(maskSeconds)),
                ("wall_seconds", .number(wall)), ("cells_per_second", .number(cells / wall)),
                ("events_per_second", .number(Double(prepared.events.count) / wall)),
                ("grid_mb", .number((gridMB * 10).rounded() / 10)), ("peak_memory_mb", .number(peakMB.rounded())),
                ("peak_memory_is_scenario_own", .bool(resetWorked)),
                ("error_bound", .number(bound)), ("tiles", tiling), ("warmup_runs", .number(Double(warmup))), ("runs", .array(times.map { .number($0) })),
            ]))
            if !json {
                print(name.padding(toLength: 52, withPad: " ", startingAt: 0)
                      + String(format: " %8.3f %12.0f %10.3g %8.3f %9.0f %9.0f  %.2g", wall, cells, Double(prepared.events.count) / wall,
                               maskSeconds, gridMB, peakMB, bound))
                if case let .object(t) = tiling {
                    print("  tiles: " + t.map { "\($0.0) \($0.1.serialized(pretty: false))" }.joined(separator: ", "))
                }
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
        } else if !MemoryHighWater.reset() {
            print("(peak memory is the process's high-water mark so far: this system cannot reset it per scenario)")
        }
    }
}
