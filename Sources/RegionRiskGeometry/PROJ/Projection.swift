import CPROJ
import Foundation
import RegionRiskBase

/// Owns a PROJ transformation (`PJ*`) between two CRSs.
///
/// Axis order is always (x = longitude/easting, y = latitude/northing), even for CRSs whose
/// authority defines latitude first such as "EPSG:4326": the operation is normalised with
/// `proj_normalize_for_visualization`, as GeoJSON (lon, lat) data needs.
/// Not thread-safe: use an instance only on the thread whose context created it.
package final class Projection {
    package let sourceCRS: String
    package let targetCRS: String
    /// Kept alive because `pj` belongs to it.
    let context: PROJContext
    let pj: OpaquePointer

    /// A transformation from `sourceCRS` to `targetCRS` (any string PROJ accepts:
    /// "EPSG:4326", a PROJ string with +type=crs, WKT, PROJJSON).
    /// - Throws: PROJError with PROJ's message when a CRS is unknown or no operation exists.
    package init(from sourceCRS: String, to targetCRS: String, context: PROJContext = .current) throws {
        self.sourceCRS = sourceCRS
        self.targetCRS = targetCRS
        self.context = context
        context.clearError()
        guard let raw = proj_create_crs_to_crs(context.handle, sourceCRS, targetCRS, nil) else {
            throw context.error("cannot create a transformation from \"\(sourceCRS)\" to \"\(targetCRS)\"")
        }
        // The normalised operation is a new object; the original is no longer needed.
        defer { proj_destroy(raw) }
        guard let normalized = proj_normalize_for_visualization(context.handle, raw) else {
            throw context.error("cannot put the transformation from \"\(sourceCRS)\" to \"\(targetCRS)\" in lon/lat order")
        }
        pj = normalized
    }

    deinit {
        proj_destroy(pj)
    }

    /// A Lambert azimuthal equal-area CRS on WGS 84 centred on `center`, in metres.
    /// Areas measured in it are true areas, and distortion of shape stays small within a few
    /// thousand km of the centre, which suits a country-sized grid.
    /// (+type=crs makes it a CRS rather than a bare operation, so its WKT can be exported.)
    package static func laeaDefinition(centeredOn center: LonLat) -> String {
        "+proj=laea +lat_0=\(center.lat) +lon_0=\(center.lon) +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs +type=crs"
    }

    /// Transforms coordinates in place from the source to the target CRS
    /// (x = lon, y = lat in degrees on a geographic side).
    /// - Throws: PROJError naming the first point that could not be transformed.
    package func forward(x: inout [Double], y: inout [Double]) throws {
        try transform(PJ_FWD, x: &x, y: &y)
    }

    /// Transforms coordinates in place from the target back to the source CRS.
    package func inverse(x: inout [Double], y: inout [Double]) throws {
        try transform(PJ_INV, x: &x, y: &y)
    }

    /// One position from the source CRS (lon, lat in degrees) to the target CRS.
    package func forward(_ p: LonLat) throws -> (x: Double, y: Double) {
        try transformOne(PJ_FWD, p.lon, p.lat)
    }

    /// One target-CRS position back to the source CRS (lon, lat in degrees).
    package func inverse(x: Double, y: Double) throws -> LonLat {
        let p = try transformOne(PJ_INV, x, y)
        return LonLat(lon: p.x, lat: p.y)
    }

    /// One point through `proj_trans`, without the arrays of the batch path (called per
    /// incident or per grid cell, so it should not allocate).
    private func transformOne(_ direction: PJ_DIRECTION, _ x: Double, _ y: Double) throws -> (x: Double, y: Double) {
        context.clearError()
        proj_errno_reset(pj)
        let out = proj_trans(pj, direction, proj_coord(x, y, 0, 0)).xy
        guard out.x.isFinite, out.y.isFinite else {
            let name = direction == PJ_FWD ? "\"\(sourceCRS)\" → \"\(targetCRS)\"" : "\"\(targetCRS)\" → \"\(sourceCRS)\""
            let code = proj_errno(pj)
            let e = context.error("cannot transform point (\(x), \(y)) \(name)")
            throw PROJError(message: e.message, code: code != 0 ? code : e.code)
        }
        return (out.x, out.y)
    }

    private func transform(_ direction: PJ_DIRECTION, x: inout [Double], y: inout [Double]) throws {
        let name = direction == PJ_FWD ? "\"\(sourceCRS)\" → \"\(targetCRS)\"" : "\"\(targetCRS)\" → \"\(sourceCRS)\""
        guard x.count == y.count else {
            throw PROJError(message: "cannot transform \(name): \(x.count) x values but \(y.count) y values")
        }
        let n = x.count
        guard n > 0 else { return }
        // Kept only to name a failing input; one copy is cheap next to the projection itself.
        let inputX = x, inputY = y
        context.clearError()
        proj_errno_reset(pj)
        let stride = MemoryLayout<Double>.stride
        x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                _ = proj_trans_generic(pj, direction, xs.baseAddress, stride, n, ys.baseAddress, stride, n, nil, 0, 0, nil, 0, 0)
            }
        }
        // PROJ marks each failed point with HUGE_VAL and carries on, so check every output.
        if let bad = (0..<n).first(where: { !x[$0].isFinite || !y[$0].isFinite }) {
            let code = proj_errno(pj)
            let e = context.error("cannot transform point \(bad) (\(inputX[bad]), \(inputY[bad])) \(name)")
            throw PROJError(message: e.message, code: code != 0 ? code : e.code)
        }
    }

    /// The target CRS as WKT: WKT1_ESRI on one line when `esri` (what ArcGIS/QGIS read from a
    /// `.prj` beside an ESRI ASCII grid), otherwise WKT2:2019.
    package func targetCRSWKT(esri: Bool) throws -> String {
        context.clearError()
        guard let crs = proj_get_target_crs(context.handle, pj) else {
            throw context.error("cannot read the target CRS of \"\(targetCRS)\"")
        }
        defer { proj_destroy(crs) }
        // proj_as_wkt returns a string owned by `crs`: copy it before destroying crs.
        let text: UnsafePointer<CChar>? = withCStringArray(["MULTILINE=NO"]) { options in
            proj_as_wkt(context.handle, crs, esri ? PJ_WKT1_ESRI : PJ_WKT2_2019, esri ? options : nil)
        }
        guard let text else {
            throw context.error("cannot write \"\(targetCRS)\" as \(esri ? "WKT1_ESRI" : "WKT2_2019")")
        }
        return String(cString: text)
    }
}

/// Calls `body` with a NULL-terminated array of C strings (PROJ's option lists).
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    var pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) }
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
