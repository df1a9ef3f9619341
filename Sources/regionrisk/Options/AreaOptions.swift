import ArgumentParser
import Foundation
import RegionRisk

/// The area of interest and its projection.
struct AreaOptions: ParsableArguments {
    @Option(help: "Area of interest: a GeoJSON file of polygons (default: Mali, embedded).")
    var area: String?

    @Option(help: "Equal-area CRS for the grid, metres (PROJ string or EPSG code). Default: Lambert azimuthal equal-area centred on the area.")
    var crs: String?

    func loadArea() throws -> AreaOfInterest {
        if let area { return try AreaOfInterest.load(from: URL(fileURLWithPath: area)) }
        return try AreaOfInterest.embeddedMali()
    }

    func makeGrid(cellSizeKm: Double, log: Console) throws -> AreaGrid {
        let aoi = try loadArea()
        let grid = try AreaGrid.make(area: aoi, cellSizeKm: cellSizeKm, crs: crs)
        log.info("area \(aoi.name) (\(aoi.source)): \(grid.cellsInside) cells of \(cellSizeKm) km inside, grid \(grid.spec.columns)×\(grid.spec.rows), CRS \(grid.spec.crs)")
        return grid
    }
}
