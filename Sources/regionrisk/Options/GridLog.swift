import Logging
import RegionRisk

/// The fields of a `grid_built` log line: the grid's size, its cells inside the area, the cell
/// size (km) and the CRS, so that a log collector can tell two runs' grids apart.
enum GridLog {
    static func fields(_ grid: AreaGrid, cellKm: Double) -> Logger.Metadata {
        ["columns": .number(grid.spec.columns), "rows": .number(grid.spec.rows), "cells_inside": .number(grid.cellsInside),
         "cell_km": .number(cellKm), "crs": .string("\(grid.spec.crs)")]
    }
}
