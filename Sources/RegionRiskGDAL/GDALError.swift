import Foundation

/// A GDAL/OGR failure. Every case carries the file it concerns and GDAL's own explanation
/// (`CPLGetLastErrorMsg()` of the failing call), so a user sees both where and why.
public enum GDALError: LocalizedError, Sendable, Equatable {
    /// The file could not be opened as a vector or raster dataset.
    case cannotOpen(path: String, reason: String)
    /// The file opened but holds no vector layer.
    case noLayer(path: String)
    /// The layer's CRS cannot be read or transformed to lon/lat (EPSG:4326).
    case crs(path: String, reason: String)
    /// One feature's geometry could not be read, converted or reprojected (feature index from 0).
    case geometry(path: String, feature: Int, reason: String)
    /// The GDAL build lacks a driver RegionRisk needs (e.g. GPKG, COG, MEM).
    case driverMissing(String)
    /// Writing an output (raster, layer, field or feature) failed.
    case write(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .cannotOpen(path, reason): "\(path): cannot open with GDAL: \(reason)"
        case let .noLayer(path): "\(path): no vector layer in the file"
        case let .crs(path, reason): "\(path): cannot reproject the layer to lon/lat (EPSG:4326): \(reason)"
        case let .geometry(path, feature, reason): "\(path): feature \(feature): \(reason)"
        case let .driverMissing(name): "GDAL has no \(name) driver in this build (Debian: apt-get install libgdal32)"
        case let .write(path, reason): "\(path): \(reason)"
        }
    }
}
