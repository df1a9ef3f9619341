import ArgumentParser
import Foundation
import Logging
import RegionRisk

/// The area of interest, for every command that keeps or analyses incidents of one area.
struct AreaOptions: ParsableArguments {
    @Option(help: "Area of interest: a file of polygons, GeoJSON or any vector format GDAL reads (Shapefile, GeoPackage, FlatGeobuf, KML; first layer, reprojected to lon/lat). Default: Mali, embedded.")
    var area: String?

    func loadArea() throws -> AreaOfInterest {
        if let area { return try AreaOfInterest.load(from: URL(fileURLWithPath: area)) }
        return try AreaOfInterest.embeddedMali()
    }
}

/// The area, the CRS of the analysis grid and the admin-1 regions: what an analysis run needs.
struct AnalysisAreaOptions: ParsableArguments {
    @OptionGroup var areaOptions: AreaOptions

    @Option(help: "Equal-area CRS for the grid, metres (PROJ string or EPSG code), recorded in every output. Default: Lambert azimuthal equal-area centred on the area. Geographic and non-equal-area CRSs are refused.")
    var crs: String?

    @Option(help: "Admin-1 regions, a file of polygons (GeoJSON or any vector format GDAL reads), for naming flagged regions and the per-region table (default: Mali's, with the embedded area).")
    var regions: String?

    @Option(name: .customLong("regions-name-field"), help: "The --regions field holding region names (default: the first of name, NAME, NAME_1, admin1Name, admin1Name_en, ADM1_EN, ADM1_FR, shapeName).")
    var regionsNameField: String?

    /// The admin-1 regions: `--regions`, else Mali's with the embedded Mali area, else none.
    func loadRegions(for area: AreaOfInterest) throws -> AdminRegions? {
        if let regions { return try AdminRegions.load(from: URL(fileURLWithPath: regions), nameField: regionsNameField) }
        return area.isEmbeddedDefault ? try AdminRegions.embeddedMali() : nil
    }

    /// Names flagged regions from the admin-1 regions and the gazetteer (the embedded Mali places
    /// plus any imported with `regionrisk gazetteer import`).
    func namer(for area: AreaOfInterest) throws -> RegionNamer {
        let gazetteer = try Gazetteer.standard(importedIn: Gazetteer.dataDirectory().appendingPathComponent("gazetteers", isDirectory: true))
        return GazetteerRegionNamer(adminRegions: try loadRegions(for: area), gazetteer: gazetteer,
                                    notable: try Gazetteer.notableMaliPlaceIDs())
    }

    /// The command's one analysis run: the area and the CRS of every grid it lays (checked to be
    /// projected, metric and equal-area over the area).
    func analysisRun(log: Console) throws -> AnalysisRun {
        let aoi = try areaOptions.loadArea()
        let run = try AnalysisRun(area: aoi, crs: crs)
        log.info("area \(aoi.name) (\(aoi.source)), \(String(format: "%.0f", aoi.areaKm2)) km²; CRS \(run.crsProperties.name)\(run.crsIsCustom ? " (--crs)" : "")",
                 event: "area_loaded",
                 ["area": .string(aoi.name), "source": .string(aoi.source), "area_km2": .number(aoi.areaKm2, significant: 7),
                  "crs": .string(run.crsProperties.name)])
        return run
    }
}
