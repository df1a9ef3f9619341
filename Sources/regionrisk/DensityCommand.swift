import ArgumentParser
import Foundation
import RegionRisk

struct DensityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "density",
        abstract: "Distance-weighted incident density on an equal-area grid, written for map tools.",
        discussion: """
            Density is Σ weight × kernel(distance) at each cell centre, in events per km² (weighted: weight units
            per km²). Every kernel integrates to 1 over km². For the compact kernels (quartic, epanechnikov,
            triangular, uniform) --bandwidth-km is the support radius: events farther away add nothing. For the
            Gaussian it is σ, the standard deviation (a 50 km quartic smooths like a ~19 km Gaussian).
            Compact kernels are computed exactly; the Gaussian within a stated bound (≤ 1e-9 of the peak in practice),
            printed after the run.

            GeoJSON output: density classes dissolved into polygons (breaks at 5, 15, 30, 50, 75% of the peak
            unless --breaks gives absolute values in events/km²), or one square per cell with --cells.
            CSV: lon,lat,density at cell centres inside the area. asc: ESRI ASCII grid plus a .prj beside it.

            Examples:
              regionrisk density --out density.geojson                 (embedded Mali sample)
              regionrisk density --events acled.csv --cell-km 2 --bandwidth-km 30 --format asc --out d.asc
              regionrisk density --events acled.csv --weight fatalities --half-life-days 90 --as-of 2025-07-08
            """)

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var input: EventInputOptions
    @OptionGroup var area: AnalysisAreaOptions

    @Option(name: .customLong("cell-km"), help: "Cell size, km.")
    var cellKm: Double = 5

    @Option(name: .customLong("bandwidth-km"), help: "Support radius (compact kernels) or σ (gaussian), km.")
    var bandwidthKm: Double = 50

    @Option(help: "Kernel: quartic, epanechnikov, triangular, uniform, gaussian.")
    var kernel: KernelShape = .quartic

    @OptionGroup var weighting: WeightingOptions

    @Option(help: "Output format: geojson, csv, asc.")
    var format: DensityOutputFormat = .geojson

    @Flag(help: "GeoJSON: one square polygon per cell instead of dissolved classes (for coarse grids).")
    var cells = false

    @Option(help: "Absolute class breaks in events/km², comma-separated (default: 5,15,30,50,75% of the peak).")
    var breaks: String?

    @Option(help: "Output file. Written atomically (temporary file, then renamed).")
    var out: String = "density.geojson"

    func validate() throws {
        guard cellKm.isFinite, cellKm > 0 else { throw ValidationError("--cell-km must be a positive number") }
        guard bandwidthKm.isFinite, bandwidthKm > 0 else { throw ValidationError("--bandwidth-km must be a positive number") }
        if let breaks { _ = try parseBreaks(breaks) }
        try weighting.validate()
        if weighting.weight == .column, input.columnOptions.weightCol == nil {
            throw ValidationError("--weight column needs --weight-col NAME (the column holding each event's weight)")
        }
    }

    func parseBreaks(_ text: String) throws -> [Double] {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0!.isFinite && $0! > 0 }) else {
            throw ValidationError("--breaks takes positive numbers separated by commas, e.g. 0.001,0.01,0.1")
        }
        return values.map { $0! }
    }

    func run() throws {
        logging.bootstrap()
        let log = Console.standard
        let started = Date()
        let areaGrid = try area.analysisRun(log: log).grid(cellSizeKm: cellKm)
        log.info("grid \(areaGrid.spec.columns)×\(areaGrid.spec.rows), \(areaGrid.cellsInside) cells of \(cellKm) km inside, CRS \(areaGrid.spec.crs)")
        let loaded = try input.loadIncidents(log: log)
        let parameters = DensityParameters(cellSizeKm: cellKm, bandwidthKm: bandwidthKm, kernel: kernel,
                                           weighting: try weighting.eventWeighting())
        let result = try DensityAnalysis.run(incidents: loaded.incidents, grid: areaGrid, parameters: parameters)
        for e in result.excluded.prefix(20) {
            log.warning("event \(e.incident.sourceEventID) left out: \(e.reason)")
        }
        if result.excluded.count > 20 { log.warning("… and \(result.excluded.count - 20) more events left out") }
        let grid = result.grid
        let url = URL(fileURLWithPath: out)
        let metadata = RunMetadata.density(result, area: areaGrid, inputs: loaded.fingerprints)
        switch format {
        case .geojson:
            let fc = cells
                ? try DensityExport.cellsGeoJSON(grid, metadata: metadata)
                : try DensityExport.classesGeoJSON(grid, breaks: breaks.map { DensityClassBreaks(kind: .absolute(try parseBreaks($0))) } ?? .default,
                                                   metadata: metadata)
            try AtomicFile.write(fc.serialized(), to: url)
        case .csv:
            try AtomicFile.write(try DensityExport.csv(grid), to: url)
        case .asc:
            let ascii = try DensityExport.esriASCII(grid)
            try AtomicFile.write(ascii.prj, to: url.deletingPathExtension().appendingPathExtension("prj"))
            try AtomicFile.write(ascii.grid, to: url)
        }
        log.info(String(format: "%d events (%d outside %@, %d left out) on %d cells of %.3g km in %@; peak %.4g events/km², mass in area %.4g of %.4g; error bound %.2g",
                        result.eventsUsed, result.eventsOutsideArea, areaGrid.area.name, result.excluded.count,
                        areaGrid.cellsInside, cellKm, areaGrid.area.name, grid.peak, grid.massInArea, grid.totalWeight, grid.errorBound))
        log.info("wrote \(url.path) (\(format.rawValue)) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
    }
}

enum DensityOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case geojson, csv, asc
}

extension KernelShape: ExpressibleByArgument {}
