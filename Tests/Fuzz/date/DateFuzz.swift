import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
@testable import RegionRiskData

/// The date parser on any bytes: the byte parser (file cells) and the String parser (command
/// line) agree, and a parsed date prints as YYYY-MM-DD that parses back to the same day.

func dateFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: min(size, 256)))
    let outcome = CivilDate.parse(utf8: bytes)
    if case let .date(d) = outcome {
        let printed = d.description
        fuzzCheck(CivilDate(parsing: printed) == d, "\(printed) does not parse back")
        fuzzCheck(CivilDate(dayNumber: d.dayNumber) == d, "day number round trip")
        // The String parser trims spaces and reads at most 40 bytes (command-line dates).
        if let text = String(validating: bytes, as: UTF8.self), bytes.count <= 40, text == text.trimmingCharacters(in: .whitespaces) {
            fuzzCheck(CivilDate(parsing: text) == d, "String and byte parsers disagree on \(text)")
        }
    }
    return 0
}
