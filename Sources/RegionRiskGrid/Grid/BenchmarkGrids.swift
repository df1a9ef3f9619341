import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
import RegionRiskGeodata

extension AreaGrid {
    /// The peer harness's grid (`../shared/peers/README.md`): Mali's bounding box in a Mali-centred
    /// LAEA, x −920…920 km, y −825…855 km; 1,840 × 1,680 = 3,091,200 cells at 1 km. Every cell
    /// counts as inside, as the peers evaluate every cell.
    package static func peerHarness(cellSizeKm: Double) throws -> AreaGrid {
        guard cellSizeKm.isFinite, cellSizeKm > 0, (5 / cellSizeKm).rounded() == 5 / cellSizeKm else {
            throw AreaError("the peer grid needs a cell size that divides 5 km (got \(cellSizeKm) km)")
        }
        let cs = cellSizeKm * 1000
        let spec = GridSpec(crs: "+proj=laea +lat_0=17.5 +lon_0=-4 +datum=WGS84 +units=m +no_defs", westX: -920_000,
                            northY: 855_000, columns: Int((1_840_000 / cs).rounded()), rows: Int((1_680_000 / cs).rounded()),
                            cellSizeMeters: cs)
        let box = GeoJSONGeometry.polygon([[LonLat(lon: -12.3, lat: 10.1), LonLat(lon: 4.3, lat: 10.1), LonLat(lon: 4.3, lat: 25),
                                            LonLat(lon: -12.3, lat: 25), LonLat(lon: -12.3, lat: 10.1)]])
        let area = AreaOfInterest(name: "peer harness grid (Mali's bounding box)", boundary: box, source: "peers/README.md")
        return AreaGrid(area: area, spec: spec, mask: [UInt8](repeating: 1, count: spec.cellCount), cellsInside: spec.cellCount)
    }
}

extension AreaOfInterest {
    /// Africa's outline (Digital Chart of the World, the same DCW-GMT source as Mali's, simplified;
    /// see `Geodata/SOURCES.md`), embedded for continent-scale benchmarks.
    package static func embeddedAfrica() throws -> AreaOfInterest {
        var area = try load(from: EmbeddedGeodata.africaOutline(), name: "Africa")
        area.source = "embedded: Geodata/africa/outline.geojson"
        return area
    }
}
