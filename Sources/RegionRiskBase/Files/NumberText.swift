import Foundation

/// Fast number → text for grid writers (millions of cells), appending UTF-8 bytes.
/// `String(format:)` costs about a microsecond per call, which made writing a 1 km grid of Mali
/// take seconds; these take tens of nanoseconds.
package enum NumberText {
    /// Fixed six decimals (degrees to ~10 cm), e.g. -11.444480.
    package static func appendFixed6(_ v: Double, to out: inout [UInt8]) {
        var scaled = Int64((abs(v) * 1_000_000).rounded())
        if v < 0, scaled != 0 { out.append(UInt8(ascii: "-")) }
        let whole = scaled / 1_000_000
        scaled %= 1_000_000
        appendInteger(whole, to: &out)
        out.append(UInt8(ascii: "."))
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: 6)
        var f = scaled
        for k in stride(from: 5, through: 0, by: -1) {
            digits[k] = UInt8(ascii: "0") + UInt8(f % 10)
            f /= 10
        }
        out.append(contentsOf: digits)
    }

    /// Shortest text that reads back as the same Double ("0" for zero).
    package static func appendShortest(_ v: Double, to out: inout [UInt8]) {
        if v == 0 { out.append(UInt8(ascii: "0")); return }
        out.append(contentsOf: v.description.utf8)
    }

    static func appendInteger(_ v: Int64, to out: inout [UInt8]) {
        if v == 0 { out.append(UInt8(ascii: "0")); return }
        var buffer: [UInt8] = []
        var n = v
        while n > 0 { buffer.append(UInt8(ascii: "0") + UInt8(n % 10)); n /= 10 }
        out.append(contentsOf: buffer.reversed())
    }
}
