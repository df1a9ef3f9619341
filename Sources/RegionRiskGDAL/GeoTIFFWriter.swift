import CGDAL
import Foundation

/// A north-up raster to write: row-major values from the north-west cell, in a projected CRS.
public struct RasterGrid: Sendable {
    public var columns: Int
    public var rows: Int
    /// West edge and north edge of the grid, CRS units (metres for RegionRisk's grids).
    public var westX: Double
    public var northY: Double
    /// Cell side, CRS units.
    public var cellSize: Double
    /// The CRS as GDAL reads it (PROJ string, EPSG code or WKT).
    public var crs: String
    /// `columns × rows` values; cells equal to `noData` are "no data" (outside the area).
    public var values: [Double]
    public var noData: Double
    /// The band's unit, e.g. "events per 1000 km2", stored as the band's unit type.
    public var unit: String
    /// Metadata items (`KEY=value`) stored on the dataset, e.g. the period the grid covers.
    public var metadata: [(String, String)]

    public init(columns: Int, rows: Int, westX: Double, northY: Double, cellSize: Double, crs: String,
                values: [Double], noData: Double, unit: String, metadata: [(String, String)] = []) {
        self.columns = columns
        self.rows = rows
        self.westX = westX
        self.northY = northY
        self.cellSize = cellSize
        self.crs = crs
        self.values = values
        self.noData = noData
        self.unit = unit
        self.metadata = metadata
    }
}

/// Writes rasters as GeoTIFF: Cloud-Optimized (GDAL's COG driver, DEFLATE) where the GDAL build
/// has it, else a tiled, DEFLATE-compressed plain GeoTIFF. Float64, one band, CRS and nodata set.
public enum GeoTIFFWriter {
    /// The file's bytes, built in memory (write them with `AtomicFile`).
    public static func data(_ grid: RasterGrid) throws -> Data {
        guard grid.columns > 0, grid.rows > 0, grid.values.count == grid.columns * grid.rows else {
            throw GDALError.write(path: "GeoTIFF", reason: "grid of \(grid.columns)×\(grid.rows) cells has \(grid.values.count) values")
        }
        let memory = try inMemoryDataset(grid)
        let cog = GDALGetDriverByName("COG")
        let driver = try cog ?? GDALLibrary.driver("GTiff")
        let options = cog != nil ? ["COMPRESS=DEFLATE", "PREDICTOR=YES"] : ["TILED=YES", "COMPRESS=DEFLATE"]
        return try GDALLibrary.inMemoryFile(extension: "tif", what: "GeoTIFF") { path in
            try GDALLibrary.withOptions(options) { list in
                guard let copy = GDALCreateCopy(driver, path, memory.handle, 0, list, nil, nil) else {
                    throw GDALError.write(path: "GeoTIFF", reason: GDALLibrary.lastError(or: "cannot create"))
                }
                GDALClose(copy)
            }
        }
    }

    private static func inMemoryDataset(_ grid: RasterGrid) throws -> GDALDataset {
        let driver = try GDALLibrary.driver("MEM")
        CPLErrorReset()
        guard let h = GDALCreate(driver, "", Int32(grid.columns), Int32(grid.rows), 1, GDT_Float64, nil) else {
            throw GDALError.write(path: "GeoTIFF", reason: GDALLibrary.lastError(or: "cannot create an in-memory raster"))
        }
        let dataset = GDALDataset(handle: h, path: "in-memory raster")
        var transform = [grid.westX, grid.cellSize, 0, grid.northY, 0, -grid.cellSize]
        try check(GDALSetGeoTransform(h, &transform), "cannot set the geotransform")
        let wkt = try SpatialReference(grid.crs).wkt()
        try check(GDALSetProjection(h, wkt), "cannot set the CRS")
        for (key, value) in grid.metadata { try check(GDALSetMetadataItem(h, key, value, nil), "cannot set metadata \(key)") }
        guard let band = GDALGetRasterBand(h, 1) else { throw GDALError.write(path: "GeoTIFF", reason: "no band") }
        try check(GDALSetRasterNoDataValue(band, grid.noData), "cannot set nodata")
        try check(GDALSetRasterUnitType(band, grid.unit), "cannot set the unit")
        var values = grid.values
        let err = values.withUnsafeMutableBytes { buffer in
            GDALRasterIO(band, GF_Write, 0, 0, Int32(grid.columns), Int32(grid.rows), buffer.baseAddress,
                         Int32(grid.columns), Int32(grid.rows), GDT_Float64, 0, 0)
        }
        try check(err, "cannot write the values")
        return dataset
    }

    private static func check(_ err: CPLErr, _ what: String) throws {
        guard err == CE_None else { throw GDALError.write(path: "GeoTIFF", reason: "\(what): " + GDALLibrary.lastError(or: "CPLErr \(err.rawValue)")) }
    }
}
