import Foundation
import RegionRiskAnalysis
import RegionRiskBase
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// What every output records about the software that made it.
public enum RunMetadata {
    public static var software: JSONValue {
        .object([
            ("regionrisk", .string(RegionRiskVersion.string)),
            ("proj", .string(PROJContext.libraryVersion)),
            ("geos", .string(GEOSContext.libraryVersion)),
        ])
    }

    /// Metadata of a density output: software, parameters, area, grid and inputs.
    public static func density(_ result: DensityResult, area: AreaGrid, inputs: [JSONValue],
                               unit: DensityUnit = .per1000Km2) -> [(String, JSONValue)] {
        let p = result.parameters
        let weight: String
        switch p.weighting.source {
        case .unweighted: weight = "none"
        case let .fatalities(t): weight = "fatalities (\(t.rawValue))"
        case let .column(t): weight = "column (\(t.rawValue))"
        }
        return [
            ("software", software),
            ("units", .string("\(unit.label) (weighted: weight units per \(unit == .per1000Km2 ? "1,000 km²" : "km²")), at cell centres")),
            ("parameters", .object([
                ("kernel", .string(p.kernel.rawValue)),
                ("bandwidth_km", .number(p.bandwidthKm)),
                ("bandwidth_meaning", .string(p.kernel.bandwidthMeaning)),
                ("cell_km", .number(p.cellSizeKm)),
                ("weight", .string(weight)),
                ("half_life_days", p.weighting.halfLifeDays.map { .number($0) } ?? .null),
                ("as_of", p.weighting.asOf.map { .string($0.description) } ?? .null),
                ("exclude_region_only_locations", .bool(p.weighting.excludeRegionOnlyLocations)),
            ])),
            ("area", .object([("name", .string(area.area.name)), ("source", .string(area.area.source))])),
            ("grid", .object([
                ("crs", .string(area.spec.crs)),
                ("columns", .number(Double(area.spec.columns))), ("rows", .number(Double(area.spec.rows))),
                ("west_x", .number(area.spec.westX)), ("north_y", .number(area.spec.northY)),
                ("cell_m", .number(area.spec.cellSizeMeters)), ("cells_in_area", .number(Double(area.cellsInside))),
            ])),
            ("result", .object([
                ("events_used", .number(Double(result.eventsUsed))),
                ("events_outside_area", .number(Double(result.eventsOutsideArea))),
                ("events_left_out", .number(Double(result.excluded.count))),
                ("peak_density", .number(result.grid.peak * unit.factorFromPerKm2)),
                ("total_weight", .number(result.grid.totalWeight)),
                ("mass_in_area", .number(result.grid.massInArea)),
                ("error_bound", .number(result.grid.errorBound)),
            ])),
            ("inputs", .array(inputs)),
        ]
    }
}
