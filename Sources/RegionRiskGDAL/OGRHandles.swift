import CGDAL
import Foundation

/// Owns one `GDALDatasetH` (raster or vector); `GDALClose` in deinit flushes and frees it.
final class GDALDataset {
    let handle: GDALDatasetH
    let path: String

    init(handle: GDALDatasetH, path: String) {
        self.handle = handle
        self.path = path
    }

    /// Opens an existing file for reading, vector layers only.
    static func openVector(_ path: String) throws -> GDALDataset {
        GDALLibrary.ensureRegistered()
        CPLErrorReset()
        let flags = UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
        guard let h = GDALOpenEx(path, flags, nil, nil, nil) else {
            throw GDALError.cannotOpen(path: path, reason: GDALLibrary.lastError(or: "not a vector format GDAL reads"))
        }
        return GDALDataset(handle: h, path: path)
    }

    deinit {
        GDALClose(handle)
    }
}

/// Owns one `OGRSpatialReferenceH`, always in traditional GIS axis order (x = longitude/easting),
/// so that coordinates never come back as (lat, lon).
final class SpatialReference {
    let handle: OGRSpatialReferenceH

    private init(handle: OGRSpatialReferenceH) {
        self.handle = handle
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
    }

    /// From anything `OSRSetFromUserInput` reads: "EPSG:4326", a PROJ string, WKT.
    convenience init(_ definition: String) throws {
        GDALLibrary.ensureRegistered()
        guard let h = OSRNewSpatialReference(nil) else { throw GDALError.crs(path: definition, reason: "out of memory") }
        CPLErrorReset()
        let err = OSRSetFromUserInput(h, definition)
        guard err == OGRERR_NONE else {
            let reason = GDALLibrary.lastError(or: "OGR error \(err)")
            OSRDestroySpatialReference(h)
            throw GDALError.crs(path: definition, reason: reason)
        }
        self.init(handle: h)
    }

    /// A copy of a CRS owned by someone else (a layer's), so that its axis order can be set.
    static func copy(of borrowed: OGRSpatialReferenceH) -> SpatialReference? {
        OSRClone(borrowed).map { SpatialReference(handle: $0) }
    }

    /// WGS 84 longitude/latitude, degrees.
    static func lonLat() throws -> SpatialReference { try SpatialReference("EPSG:4326") }

    /// WKT (WKT1 as GeoTIFF and GeoPackage readers expect it).
    func wkt() throws -> String {
        var text: UnsafeMutablePointer<CChar>?
        CPLErrorReset()
        guard OSRExportToWkt(handle, &text) == OGRERR_NONE, let text else {
            throw GDALError.crs(path: "CRS", reason: GDALLibrary.lastError(or: "cannot export as WKT"))
        }
        defer { VSIFree(text) }
        return String(cString: text)
    }

    /// True when this CRS is the same as `other` (e.g. the layer is already lon/lat WGS 84).
    func isSame(as other: SpatialReference) -> Bool { OSRIsSame(handle, other.handle) != 0 }

    deinit {
        OSRDestroySpatialReference(handle)
    }
}

/// Owns one `OGRCoordinateTransformationH`.
final class CoordinateTransformation {
    let handle: OGRCoordinateTransformationH

    init(from source: SpatialReference, to target: SpatialReference, path: String) throws {
        CPLErrorReset()
        guard let h = OCTNewCoordinateTransformation(source.handle, target.handle) else {
            throw GDALError.crs(path: path, reason: GDALLibrary.lastError(or: "no transformation between the CRSs"))
        }
        handle = h
    }

    deinit {
        OCTDestroyCoordinateTransformation(handle)
    }
}

/// Owns one `OGRFeatureH` (from `OGR_L_GetNextFeature` or `OGR_F_Create`).
final class OGRFeature {
    let handle: OGRFeatureH

    init(handle: OGRFeatureH) { self.handle = handle }

    deinit {
        OGR_F_Destroy(handle)
    }
}

/// Owns one `OGRGeometryH` until `release()` hands it to a feature.
final class OGRGeometry {
    private(set) var handle: OGRGeometryH?

    init(handle: OGRGeometryH) { self.handle = handle }

    /// Gives up ownership (for `OGR_F_SetGeometryDirectly`, which takes it).
    func release() -> OGRGeometryH? {
        defer { handle = nil }
        return handle
    }

    deinit {
        if let handle { OGR_G_DestroyGeometry(handle) }
    }
}
