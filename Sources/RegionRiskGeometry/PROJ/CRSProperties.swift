import CPROJ
import Foundation
import RegionRiskBase

/// What a grid needs to know of a CRS before it counts events per km²: that it is projected,
/// in metres, and equal-area over the places it will cover.
public struct CRSProperties: Sendable, Equatable {
    /// The CRS as given ("EPSG:6933", a PROJ string with +type=crs, WKT, PROJJSON).
    public var definition: String
    /// PROJ's name for it, e.g. "WGS 84 / NSIDC EASE-Grid 2.0 Global".
    public var name: String
    /// True for a projected CRS (x/y on a plane); false for geographic and other kinds.
    public var isProjected: Bool
    /// Metres per unit of the first axis (1 for metres); nil when PROJ gives none.
    public var metresPerUnit: Double?
    /// The largest |areal scale − 1| found at the points checked (0 for an equal-area CRS);
    /// nil when not projected.
    public var worstArealDistortion: Double?

    /// Areal scale factors within this of 1 count as equal-area (PROJ computes them by finite
    /// differences, so an exactly equal-area projection reads about 1e-10 off).
    public static let equalAreaTolerance = 1e-6

    public var isEqualAreaInMetres: Bool {
        isProjected && metresPerUnit.map { abs($0 - 1) < 1e-12 } == true
            && (worstArealDistortion ?? .infinity) <= Self.equalAreaTolerance
    }

    /// Reads `definition` with PROJ and measures its areal scale (PROJ's `proj_factors`) at
    /// `points` (lon/lat degrees), e.g. an area's corners and centre.
    /// - Throws: PROJError with PROJ's message when the CRS cannot be read.
    package static func inspect(_ definition: String, at points: [LonLat], context: PROJContext = .current) throws -> CRSProperties {
        context.clearError()
        guard let crs = proj_create(context.handle, definition) else {
            throw context.error("cannot read the CRS \"\(definition.prefix(120))\"")
        }
        defer { proj_destroy(crs) }
        var name = proj_get_name(crs).map { String(cString: $0) } ?? definition
        let isProjected = proj_get_type(crs) == PJ_TYPE_PROJECTED_CRS
        // A PROJ string has no name ("unknown"): say which projection it is instead.
        if name == "unknown", isProjected, let conversion = proj_crs_get_coordoperation(context.handle, crs) {
            defer { proj_destroy(conversion) }
            var method: UnsafePointer<CChar>?
            if proj_coordoperation_get_method_info(context.handle, conversion, &method, nil, nil) == 1, let method {
                name = String(cString: method)
            }
        }
        var metres: Double?
        if let cs = proj_crs_get_coordinate_system(context.handle, crs) {
            defer { proj_destroy(cs) }
            var factor = 0.0
            if proj_cs_get_axis_info(context.handle, cs, 0, nil, nil, nil, &factor, nil, nil, nil) == 1 { metres = factor }
        }
        var worst: Double?
        if isProjected {
            worst = 0
            for p in points {
                var coord = PJ_COORD()
                coord.lp.lam = p.lon * .pi / 180
                coord.lp.phi = p.lat * .pi / 180
                let f = proj_factors(crs, coord)
                // proj_factors sets the context's errno on failure and returns zeros.
                guard proj_context_errno(context.handle) == 0, f.areal_scale.isFinite, f.areal_scale > 0 else {
                    throw context.error("cannot compute the scale factors of \"\(name)\" at \(p.lon), \(p.lat)")
                }
                worst = max(worst ?? 0, abs(f.areal_scale - 1))
            }
        }
        return CRSProperties(definition: definition, name: name, isProjected: isProjected, metresPerUnit: metres,
                             worstArealDistortion: worst)
    }
}
