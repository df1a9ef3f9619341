import Foundation

/// The rows of a tab-separated gazetteer file: LF or CRLF line ends, blank lines and lines
/// starting with '#' skipped, each row given as its 1-based line number and field byte ranges.
enum TabSeparatedRows {
    static func forEach(
        in bytes: UnsafeBufferPointer<UInt8>, expectedColumns: Int,
        _ body: (_ line: Int, _ fields: [Range<Int>]) throws -> Void
    ) rethrows {
        var lineNumber = 0, start = 0
        let n = bytes.count
        var fields: [Range<Int>] = []
        fields.reserveCapacity(expectedColumns)
        while start < n {
            var end = start
            while end < n, bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var lineEnd = end
            if lineEnd > start, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            defer { start = end + 1 }
            if lineEnd == start || bytes[start] == UInt8(ascii: "#") { continue }
            fields.removeAll(keepingCapacity: true)
            var f = start
            for i in start..<lineEnd where bytes[i] == 0x09 {
                fields.append(f..<i)
                f = i + 1
            }
            fields.append(f..<lineEnd)
            try body(lineNumber, fields)
        }
    }
}
