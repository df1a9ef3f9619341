import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
@testable import RegionRiskData

/// The name normaliser, the reported-name readings and the geocoder on any text: names and
/// mentions in free text (first 2 kB, as one line of names and as a text), against
/// `FuzzGazetteer.small`.

func geocoderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: min(size, 2048)), as: UTF8.self)
    _ = PlaceNameNormalizer.indexKeys(text)
    _ = PlaceNameNormalizer.coreKey(text)
    for reading in ReportedPlaceName.readings(of: text) { _ = PlaceNameNormalizer.fullKey(reading) }
    if let result = try? FuzzGazetteer.small.geocode(text, limit: 3) {
        fuzzCheck(result.confidence >= 0 && result.confidence <= 1.000001, "confidence \(result.confidence)")
    }
    _ = FuzzGazetteer.small.resolvePlaceName(text, admin1Hint: nil)
    for m in FuzzGazetteer.small.mentions(inText: text) {
        fuzzCheck(m.range.lowerBound >= text.startIndex && m.range.upperBound <= text.endIndex, "mention range outside the text")
        fuzzCheck(m.line >= 1 && m.column >= 1, "mention at line \(m.line) column \(m.column)")
    }
    return 0
}
