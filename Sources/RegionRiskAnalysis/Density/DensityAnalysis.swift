import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGrid

/// Parameters of a density run.
public struct DensityParameters: Sendable, Equatable {
    /// Cell side, km.
    public var cellSizeKm: Double
    /// Support radius for compact kernels, σ for the Gaussian, km.
    public var bandwidthKm: Double
    public var kernel: KernelShape
    public var weighting: EventWeighting

    public init(cellSizeKm: Double = 5, bandwidthKm: Double = 50, kernel: KernelShape = .quartic,
                weighting: EventWeighting = EventWeighting()) {
        self.cellSizeKm = cellSizeKm
        self.bandwidthKm = bandwidthKm
        self.kernel = kernel
        self.weighting = weighting
    }
}

/// An event that took no part in a density, and why.
public struct ExcludedIncident: Sendable {
    public var incident: Incident
    public var reason: WeightingExclusion
}

/// A finished density with its accounting.
public struct DensityResult: Sendable {
    public var grid: DensityGrid
    public var parameters: DensityParameters
    /// Events that contributed.
    public var eventsUsed: Int
    /// Of those, how many lie outside the area of interest (they still add density to cells
    /// within a bandwidth of them).
    public var eventsOutsideArea: Int
    public var excluded: [ExcludedIncident]
}

/// Incidents → weights → projection → density on the area's grid.
public enum DensityAnalysis {
    public static func run(incidents: [Incident], grid areaGrid: AreaGrid, parameters: DensityParameters,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> DensityResult {
        try parameters.checkLimits()
        let xy = try areaGrid.project(incidents.map(\.location))
        return try run(ProjectedIncidents(incidents: incidents, x: xy.x, y: xy.y), grid: areaGrid, parameters: parameters,
                       threads: threads)
    }

    /// The density of incidents already projected into the grid's CRS (an analysis run's
    /// `ProjectedIncidents`): weighted, and computed without projecting them again.
    public static func run(_ projected: ProjectedIncidents, grid areaGrid: AreaGrid, parameters: DensityParameters,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> DensityResult {
        try parameters.checkLimits()
        var xs: [Double] = [], ys: [Double] = [], weights: [Double] = [], excluded: [ExcludedIncident] = []
        xs.reserveCapacity(projected.count)
        ys.reserveCapacity(projected.count)
        weights.reserveCapacity(projected.count)
        for (i, incident) in projected.incidents.enumerated() {
            switch parameters.weighting.weight(of: incident) {
            case let .success(w):
                xs.append(projected.x[i])
                ys.append(projected.y[i])
                weights.append(w)
            case let .failure(reason):
                excluded.append(ExcludedIncident(incident: incident, reason: reason))
            }
        }
        let projected = (x: xs, y: ys)
        let events = ProjectedEvents(x: projected.x, y: projected.y, weights: weights)
        let computed = try DensityEngine.compute(events: events, grid: areaGrid.spec, kernel: parameters.kernel,
                                                 bandwidthKm: parameters.bandwidthKm, threads: threads)
        var outside = 0
        for i in 0..<events.count {
            if let cell = areaGrid.spec.cell(containingX: events.x[i], y: events.y[i]) {
                if areaGrid.mask[cell.row * areaGrid.spec.columns + cell.column] == 0 { outside += 1 }
            } else {
                outside += 1
            }
        }
        let grid = DensityGrid(spec: areaGrid.spec, values: computed.values, mask: areaGrid.mask, kernel: parameters.kernel,
                               bandwidthKm: parameters.bandwidthKm, totalWeight: weights.reduce(0, +),
                               errorBound: computed.errorBound)
        return DensityResult(grid: grid, parameters: parameters, eventsUsed: events.count, eventsOutsideArea: outside,
                             excluded: excluded)
    }
}
