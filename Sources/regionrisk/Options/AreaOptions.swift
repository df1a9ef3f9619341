import ArgumentParser
import Foundation
import RegionRisk

/// The area of interest and its projection.
struct AreaOptions: ParsableArguments {
    @Option(help: "Area of interest: a GeoJSON file of polygons (default: Mali, embedded).")
    var area: String?

    @Option(help: "Equal-area CRS for the grid, metres (PROJ string or EPSG code). Default: Lambert azimuthal equal-area centred on the area.")
    var crs: String?

    @Option(help: "Admin-1 regions, a GeoJSON file of polygons with a `name` property, for naming flagged regions and the per-region table (default: Mali's, with the embedded area).")
    var regions: String?

    /// The admin-1 regions: `--regions`, else Mali's with the embedded Mali area, else none.
    func loadRegions(for area: AreaOfInterest) throws -> AdminRegions? {
        if let regions { return try AdminRegions.load(from: URL(fileURLWithPath: regions)) }
        return area.isEmbeddedDefault ? try AdminRegions.embeddedMali() : nil
    }

    /// Names flagged regions from the admin-1 regions and the gazetteer (the embedded Mali places
    /// plus any imported with `regionrisk gazetteer import`).
    func namer(for area: AreaOfInterest) throws -> RegionNamer {
        let gazetteer = try Gazetteer.standard(importedIn: Gazetteer.dataDirectory().appendingPathComponent("gazetteers", isDirectory: true))
        return GazetteerRegionNamer(adminRegions: try loadRegions(for: area), gazetteer: gazetteer,
                                    notable: try Gazetteer.notableMaliPlaceIDs())
    }

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
