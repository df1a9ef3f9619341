import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
@testable import RegionRiskData

/// The incident file reader end to end on any bytes (format detection, the header's column
/// map, each row's interpretation, geocoding place names against `FuzzGazetteer.small`).
/// Every accepted incident must satisfy the documented invariants.

func rowFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let url = FuzzInput.file(data, size)
    var reader = IncidentFileReader(resolver: FuzzGazetteer.small)
    reader.requiresDateColumn = size % 2 == 0
    guard let result = try? reader.read(url) else { return 0 }
    for i in result.incidents {
        fuzzCheck(i.location.lat.isFinite && abs(i.location.lat) <= 90, "latitude out of range")
        fuzzCheck(i.location.lon.isFinite && abs(i.location.lon) <= 180, "longitude out of range")
        if let f = i.fatalities { fuzzCheck(ParameterLimits.fatalities.contains(f), "fatalities \(f) accepted") }
        if let w = i.weight { fuzzCheck(ParameterLimits.weight.contains(w), "weight \(w) accepted") }
    }
    for r in result.rejected { _ = r.description }
    return 0
}
