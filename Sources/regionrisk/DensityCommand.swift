import ArgumentParser
import Foundation
import Logging
import RegionRisk

struct DensityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "density",
        abstract: "Distance-weighted incident density on an equal-area grid, written for map tools.",
        discussion: """
            Density is Σ weight × kernel(distance) at each cell centre, written in events per 1,000 km² (--density-unit
            per-km2 for events per km²; weighted: weight units per area). Every kernel integrates to 1 over km². For the compact kernels (quartic, epanechnikov,
            triangular, uniform) --bandwidth-km is the support radius: events farther away add nothing. For the
            Gaussian it is σ, the standard deviation (a 50 km quartic smooths like a ~19 km Gaussian).
            Compact kernels are computed exactly; the Gaussian within a stated bound (≤ 1e-9 of the peak in practice),
            printed after the run.

            GeoJSON output: density classes dissolved into polygons (fixed breaks at 0.1, 0.2, 0.5, 1, 2, 5, 10 events
            per 1,000 km², the same every run so that maps compare, unless --breaks gives others in --density-unit), or
            one square per cell with --cells. gpkg: the same classes as a GeoPackage layer "density".
            CSV: lon,lat,density_per_1000km2 at cell centres inside the area. asc: ESRI ASCII grid plus a .prj beside it.
            tif: GeoTIFF (Cloud-Optimized), Float64, nodata -9999 outside the area, with the grid's CRS and the unit.

            Examples:
              regionrisk density --out density.geojson                 (embedded Mali sample)
              regionrisk density --events acled.csv --cell-km 2 --bandwidth-km 30 --format tif --out d.tif
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

    @Option(help: "Output format: geojson, gpkg, csv, asc, tif.")
    var format: DensityOutputFormat = .geojson

    @Flag(help: "GeoJSON: one square polygon per cell instead of dissolved classes (for coarse grids).")
    var cells = false

    @OptionGroup var densityMap: DensityMapOptions

    @Option(help: "Output file, - for standard output. A file is written atomically (temporary file, then renamed); a device or FIFO is written in place; a symlink's target is replaced.")
    var out: String = "density.geojson"

    func validate() throws {
        try OptionLimits.check("--cell-km", cellKm, in: ParameterLimits.cellSizeKm, unit: "km")
        try OptionLimits.check("--bandwidth-km", bandwidthKm, in: ParameterLimits.bandwidthKm, unit: "km")
        if out.isEmpty { throw ValidationError("--out is empty; give a file name, or - for standard output") }
        if out == "-", format == .asc { throw ValidationError("--format asc writes a .prj beside the grid; give a file name, not -") }
        if cells, format != .geojson { throw ValidationError("--cells is for --format geojson") }
        try weighting.validate()
        if weighting.weight == .column, input.columnOptions.weightCol == nil {
            throw ValidationError("--weight column needs --weight-col NAME (the column holding each event's weight)")
        }
    }

    func run() throws {
        logging.bootstrap()
        let log = Console.standard
        let started = Date()
        let areaGrid = try area.analysisRun(log: log).grid(cellSizeKm: cellKm)
        log.info("grid \(areaGrid.spec.columns)×\(areaGrid.spec.rows), \(areaGrid.cellsInside) cells of \(cellKm) km inside, CRS \(areaGrid.spec.crs)",
                 event: "grid_built", GridLog.fields(areaGrid, cellKm: cellKm))
        let loaded = try input.loadIncidents(log: log)
        let parameters = DensityParameters(cellSizeKm: cellKm, bandwidthKm: bandwidthKm, kernel: kernel,
                                           weighting: try weighting.eventWeighting())
        if let warning = parameters.narrowBandwidthWarning { log.warning(warning, event: "parameter_warning") }
        let result = try DensityAnalysis.run(incidents: loaded.incidents, grid: areaGrid, parameters: parameters)
        for e in result.excluded.prefix(20) {
            log.warning("event \(e.incident.sourceEventID) left out: \(e.reason)", event: "event_left_out",
                        ["event_id": .string(e.incident.sourceEventID), "reason": .string("\(e.reason)")])
        }
        if result.excluded.count > 20 {
            log.warning("… and \(result.excluded.count - 20) more events left out", event: "events_left_out", ["count": .number(result.excluded.count - 20)])
        }
        let grid = result.grid
        let url = URL(fileURLWithPath: out)
        let unit = densityMap.densityUnit
        let metadata = RunMetadata.density(result, area: areaGrid, inputs: loaded.fingerprints, unit: unit)
        let breaks = try densityMap.classBreaks()
        switch format {
        case .geojson:
            let fc = cells
                ? try DensityExport.cellsGeoJSON(grid, unit: unit, metadata: metadata)
                : try DensityExport.classesGeoJSON(grid, breaks: breaks, unit: unit, metadata: metadata)
            try AtomicFile.write(fc.serialized(), toPath: out)
        case .gpkg:
            let features = DensityExport.classFeatures(try DensityExport.classPolygons(grid, breaks: breaks), classCount: breaks.classCount,
                                                       peak: grid.peak, unit: unit)
            try AtomicFile.write(try GeoPackageWriter.data(layers: [VectorLayer(name: "density", features: features, geometry: .polygons)]),
                                 toPath: out)
        case .csv:
            try AtomicFile.write(try DensityExport.csv(grid, unit: unit), toPath: out)
        case .asc:
            let ascii = try DensityExport.esriASCII(grid, unit: unit)
            try AtomicFile.write(ascii.prj, to: url.deletingPathExtension().appendingPathExtension("prj"))
            try AtomicFile.write(ascii.grid, to: url)
        case .tif:
            let items = [("KERNEL", kernel.rawValue), ("BANDWIDTH_KM", "\(bandwidthKm)"), ("CELL_KM", "\(cellKm)"),
                         ("AREA", areaGrid.area.name), ("SOFTWARE", "RegionRisk \(RegionRiskVersion.string)")]
            try AtomicFile.write(try DensityExport.geoTIFF(grid, unit: unit, metadata: items), toPath: out)
        }
        log.info(String(format: "%d events (%d outside %@, %d left out) on %d cells of %.3g km in %@; peak %.4g %@, mass in area %.4g of %.4g; error bound %.2g (events/km²)",
                        result.eventsUsed, result.eventsOutsideArea, areaGrid.area.name, result.excluded.count,
                        areaGrid.cellsInside, cellKm, areaGrid.area.name, grid.peak * unit.factorFromPerKm2, unit.label,
                        grid.massInArea, grid.totalWeight, grid.errorBound),
                 event: "density_computed",
                 ["events_used": .number(result.eventsUsed), "events_outside_area": .number(result.eventsOutsideArea),
                  "events_left_out": .number(result.excluded.count), "cells_inside": .number(areaGrid.cellsInside),
                  "cell_km": .number(cellKm), "bandwidth_km": .number(bandwidthKm), "kernel": .string(kernel.rawValue),
                  "peak": .number(grid.peak * unit.factorFromPerKm2), "unit": .string(unit.label),
                  "mass_in_area": .number(grid.massInArea), "total_weight": .number(grid.totalWeight), "error_bound": .number(grid.errorBound)])
        Console.run.count("events_used", result.eventsUsed)
        Console.run.count("cells_inside", areaGrid.cellsInside)
        log.info("wrote \(url.path) (\(format.rawValue)) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s", event: "output_written",
                 ["path": .string(url.path), "format": .string(format.rawValue), "seconds": .seconds(since: started)])
    }
}

enum DensityOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case geojson, gpkg, csv, asc, tif
}

extension KernelShape: ExpressibleByArgument {}
