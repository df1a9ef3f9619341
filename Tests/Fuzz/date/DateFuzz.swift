import Foundation

/// The date parser on any bytes: the byte parser and the String parser agree, and a parsed
/// date prints as YYYY-MM-DD that parses back to the same day.

func dateFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: min(size, 256)))
    let outcome = CivilDate.parse(utf8: bytes)
    if case let .date(d) = outcome {
        let printed = d.description
        precondition(CivilDate(parsing: printed) == d, "\(printed) does not parse back")
        precondition(CivilDate(dayNumber: d.dayNumber) == d, "day number round trip")
        if let text = String(validating: bytes, as: UTF8.self) {
            precondition(CivilDate(parsing: text) == d, "String and byte parsers disagree on \(text)")
        }
    }
    return 0
}
