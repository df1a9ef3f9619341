import Foundation
import RegionRiskBase
import RegionRiskGrid

extension DensityScenario {
    /// Prepares the scenario on a given grid with given event positions (lon, lat) instead of
    /// the synthetic generator; `events` is then informational.
    package func prepare(grid: AreaGrid, positions: [LonLat]) throws -> Prepared {
        let xy = try grid.project(positions)
        return Prepared(grid: grid, events: ProjectedEvents(x: xy.x, y: xy.y))
    }
}
