import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
@testable import RegionRiskData

/// The JSON parser and the GeoJSON model on any bytes, then the GeoJSON incident reader.
/// A parsed value must serialise and parse back to the same serialisation.

func geoJSONFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    if let value = try? JSONValue.parse(bytes) {
        let text = value.serialized()
        let again = try? JSONValue.parse(Data(text.utf8))
        fuzzCheck(again?.serialized() == text, "JSON round trip changed the value")
        if let fc = try? GeoJSONFeatureCollection(json: value) { _ = fc.serialized() }
        if let g = try? GeoJSONGeometry(json: value) { _ = g.json(decimals: 6) }
    }
    let url = FuzzInput.file(data, size)
    _ = try? IncidentFileReader(format: .geojson).read(url)
    return 0
}
