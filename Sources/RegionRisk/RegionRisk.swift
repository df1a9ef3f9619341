/// RegionRisk: a geospatial region-risk engine.
///
/// This umbrella module re-exports the public API of the pipeline's stages, each its own target
/// so that only the intended dependencies compile:
///
///     RegionRiskBase      coordinates, civil dates, atomic files, hashing, thread-local slots
///     RegionRiskGeometry  owners of GEOS and PROJ handles (no domain types, no GeoJSON)
///     RegionRiskGeoJSON   the RFC 7946 model, JSON values, the GeoJSON ↔ GEOS bridge
///     RegionRiskGDAL      owners of GDAL/OGR handles: any OGR vector file in; GeoPackage, GeoTIFF out
///     RegionRiskGrid      equal-area grids, area masks, the exact density core, statistics
///     RegionRiskData      incidents and their readers, gazetteer and geocoder, the store
///     RegionRiskAnalysis  one analysis run; density analyses, change detection
///     RegionRiskReport    every file writer: GeoJSON, GeoPackage, GeoTIFF, QML, CSV, ASCII grid, HTML, Markdown, manifest
///
/// `import RegionRisk` gives all of them; a program that needs only one stage imports it alone.
/// The PostgreSQL + PostGIS store is its own product, `RegionRiskPostgres` (it brings SwiftNIO),
/// so a program that keeps its incidents in SQLite does not build it.
@_exported import RegionRiskAnalysis
@_exported import RegionRiskBase
@_exported import RegionRiskData
@_exported import RegionRiskGDAL
@_exported import RegionRiskGeoJSON
@_exported import RegionRiskGeometry
@_exported import RegionRiskGrid
@_exported import RegionRiskReport
