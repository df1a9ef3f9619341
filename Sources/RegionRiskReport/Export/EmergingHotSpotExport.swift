import Foundation
import RegionRiskAnalysis
import RegionRiskBase
import RegionRiskGeoJSON

extension EmergingHotSpotRegions {
    /// The emerging-hot-spot regions as GeoJSON: one feature per region, run metadata at the top level.
    public static func featureCollection(_ result: EmergingHotSpotRegions.Result, inputs: [JSONValue]) -> GeoJSONFeatureCollection {
        let features = result.regions.enumerated().map { n, r in
            GeoJSONFeature(id: .number(Double(n + 1)), geometry: r.geometry, properties: .object([
                ("category", .string(r.category.rawValue)),
                ("cells", .number(Double(r.cells.count))), ("area_km2", .number((r.areaKm2 * 10).rounded() / 10)),
                ("events", .number(Double(r.events))),
                ("trend_z", .number(r.trendZ.isFinite ? r.trendZ : 0)), ("trend_p", .number(r.trendP.isFinite ? r.trendP : 1)),
                ("final_z", .number(r.finalZ.isFinite ? r.finalZ : 0)),
            ] + FlaggedRegionExport.admin1Members(r.admin1) + [
                ("places", .string(r.places.joined(separator: ", "))),
                // The cube's span, for kepler.gl's time filter (end exclusive).
                ("start", .string(result.firstDay.startOfDayUTC)), ("end", .string(result.asOf.endOfDayUTC)),
            ]))
        }
        return GeoJSONFeatureCollection(features: features, foreignMembers: [
            ("software", RunMetadata.software), ("as_of", .string(result.asOf.description)),
            ("first_day", .string(result.firstDay.description)), ("parameters", result.parameters.json), ("crs", result.crs),
            ("inputs", .array(inputs)),
            ("counts", .object([
                ("events_in_cube", .number(Double(result.eventsInCube))),
                ("excluded_region_only_locations", .number(Double(result.excludedRegionOnly))),
                ("cells_by_category", .object(result.categoryCellCounts.map { ($0.0.rawValue, .number(Double($0.1))) })),
            ])),
        ])
    }
}
