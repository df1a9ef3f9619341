/// RegionRisk: a geospatial region-risk engine.
///
/// The pipeline, one folder per stage: Gazetteer → Events → Grid → Density → Detection → Report.
/// PROJ/ and GEOS/ hold thin owners of the C libraries' handles; GeoJSON/ the RFC 7946 model.
public enum RegionRiskVersion {
    /// The library's version, written into every output's metadata.
    public static let string = "0.1.0"
}
