import Foundation

/// Reads RFC 4180 CSV one record at a time, keeping the physical line each record starts on.
///
/// Written by hand rather than taken from SwiftCSV or CSV.swift because incident files need three
/// things those do not give together: SwiftCSV loads the whole file into one String (a 1M-row ACLED
/// export is ~400 MB); neither reports the physical line a record starts on, which every rejection
/// message names; and both build a String per field, where ingest needs ~10 of ACLED's 28 fields.
/// This reader streams 1 MiB chunks, copies field bytes into one reused buffer (no allocation per
/// field) and turns only the fields a caller asks for into Strings or numbers
/// (see `Benchmarks/IngestBenchmarks` for rows/s).
///
/// Accepted beyond RFC 4180, as spreadsheet exports need: a UTF-8 byte-order mark; CRLF, LF or CR
/// line ends; blank lines (skipped); a quote inside an unquoted field (kept as text); bytes that
/// are not UTF-8 (decoded as Windows-1252/Latin-1, and `firstNonUTF8Line` says where).
/// A quoted field still open at the end of the file is an error naming the line it opened on.
package final class CSVReader {
    package let url: URL
    /// The first line holding bytes that are not UTF-8, when `string(_:)` met any.
    package fileprivate(set) var firstNonUTF8Line: Int?

    // The file's descriptor, or -1 when the CSV is held in `memory`.
    private let fd: Int32
    private let memory: [UInt8]?
    private var memoryOffset = 0
    private let chunkSize: Int
    private let chunk: UnsafeMutablePointer<UInt8>
    // Field bytes of the record being read, each field followed by a NUL (so strtod can read it).
    private var buf: UnsafeMutablePointer<UInt8>
    private var bufCap: Int
    private var bufCount = 0
    // ends[i]: offset in buf of field i's terminating NUL.
    private var ends: UnsafeMutablePointer<Int>
    private var endsCap: Int
    private var fieldCount = 0

    /// Opens `url` for reading; throws `CSVError` naming the file when it cannot be opened.
    package convenience init(url: URL, chunkSize: Int = 1 << 20) throws {
        let fd = open(url.path, O_RDONLY)
        if fd < 0 {
            let reason = String(cString: strerror(errno))
            throw CSVError(file: url.path, line: nil, reason: "cannot open: \(reason)")
        }
        var st = stat()
        let statted = fstat(fd, &st) == 0
        if statted, (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw CSVError(file: url.path, line: nil, reason: "is a folder, not a file")
        }
        // A small regular file needs no 1 MiB chunk (and buffers three times that): reading
        // the many small files of tests and fuzzing allocates only what they hold.
        let wholeFile = statted && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) + 1 : chunkSize
        self.init(url: url, fd: fd, memory: nil, chunkSize: min(chunkSize, wholeFile))
    }

    /// Reads CSV already in memory, through the same chunked parser as a file (the fuzzer's
    /// entry point: no file system per input); `name` stands for the file in messages.
    package convenience init(bytes: [UInt8], name: String, chunkSize: Int = 1 << 20) {
        // isDirectory: given, so that no stat(2) of `name` is made (4% of the csv fuzz profile).
        self.init(url: URL(fileURLWithPath: name, isDirectory: false), fd: -1, memory: bytes, chunkSize: min(chunkSize, bytes.count + 1))
    }

    private init(url: URL, fd: Int32, memory: [UInt8]?, chunkSize: Int) {
        self.url = url
        self.fd = fd
        self.memory = memory
        self.chunkSize = max(chunkSize, 16)
        chunk = .allocate(capacity: self.chunkSize)
        bufCap = 2 * self.chunkSize + 64
        buf = .allocate(capacity: bufCap)
        endsCap = self.chunkSize + 64
        ends = .allocate(capacity: endsCap)
    }

    deinit {
        if fd >= 0 { close(fd) }
        chunk.deallocate()
        buf.deallocate()
        ends.deallocate()
    }

    /// Fills `chunk` with the next bytes of the file or of `memory`: the count, 0 at the end,
    /// -1 with errno set when the read failed.
    private func readChunk() -> Int {
        guard let memory else { return read(fd, chunk, chunkSize) }
        let n = min(chunkSize, memory.count - memoryOffset)
        if n > 0 { memory.withUnsafeBufferPointer { chunk.update(from: $0.baseAddress! + memoryOffset, count: n) } }
        memoryOffset += n
        return n
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// Largest record (header included) read, bytes; ACLED's longest rows are a few kB.
    package static let maximumRecordBytes = 1 << 20
    /// Most fields in one record.
    package static let maximumFields = 4_096

    /// Calls `body` with each record in order; blank lines are skipped. `onBytes` sees every
    /// chunk of the raw file as read (ingest hashes the file with it while parsing).
    /// A record is only valid during its call.
    package func forEachRecord(
        onBytes: ((UnsafeRawBufferPointer) -> Void)? = nil,
        _ body: (CSVRecord) throws -> Void
    ) throws {
        var state = State.fieldStart
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var inRecord = false
        var lastWasCR = false
        var atFileStart = true

        func endField() {
            buf[bufCount] = 0
            ends[fieldCount] = bufCount
            bufCount += 1
            fieldCount += 1
        }
        func emit() throws {
            endField()
            try body(CSVRecord(reader: self, line: recordLine, count: fieldCount, bytes: buf, ends: ends))
            bufCount = 0
            fieldCount = 0
            inRecord = false
            state = .fieldStart
        }

        while true {
            let n = readChunk()
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVError(file: url.path, line: line, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            onBytes?(UnsafeRawBufferPointer(start: chunk, count: n))
            var start = 0
            if atFileStart {
                atFileStart = false
                try checkEncoding(UnsafeBufferPointer(start: chunk, count: n))
                if n >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { start = 3 }
            }
            // Each input byte adds at most one byte (or one NUL) and one field: size both
            // buffers once per chunk so the loop below never checks capacity.
            reserve(bytes: bufCount + n + 2, fields: fieldCount + n + 2)
            var i = start
            while i < n {
                let b = chunk[i]
                i += 1
                // Physical lines: LF, CRLF and a lone CR each end one.
                if b == 0x0A {
                    if !lastWasCR { line += 1 }
                    lastWasCR = false
                } else if b == 0x0D {
                    line += 1
                    lastWasCR = true
                } else {
                    lastWasCR = false
                }
                switch state {
                case .quoted:
                    if b == 0x22 { state = .quoteInQuoted } else { buf[bufCount] = b; bufCount += 1 }
                case .fieldStart, .unquoted, .quoteInQuoted:
                    switch b {
                    case 0x2C:  // ,
                        if !inRecord { inRecord = true; recordLine = line }
                        endField()
                        state = .fieldStart
                    case 0x0A, 0x0D:
                        if inRecord { try emit() }
                    case 0x22:  // "
                        if !inRecord { inRecord = true; recordLine = line }
                        if state == .fieldStart {
                            state = .quoted
                            quoteLine = line
                        } else if state == .quoteInQuoted {
                            // A doubled quote inside a quoted field stands for one quote.
                            buf[bufCount] = b
                            bufCount += 1
                            state = .quoted
                        } else {
                            buf[bufCount] = b
                            bufCount += 1
                        }
                    default:
                        if !inRecord { inRecord = true; recordLine = line }
                        buf[bufCount] = b
                        bufCount += 1
                        // Text after a closing quote (`"a"b`) is kept, as Python's csv does.
                        state = .unquoted
                    }
                }
            }
            // Checked once per chunk, outside the byte loop: a record over the caps is not an
            // export row (a 50 MB "header", an unclosed quote swallowing the file).
            if bufCount > Self.maximumRecordBytes || fieldCount > Self.maximumFields {
                let why = state == .quoted ? " (the quoted field opened on line \(quoteLine) may never be closed)" : ""
                throw CSVError(
                    file: url.path, line: recordLine,
                    reason: "the record starting on line \(recordLine) is longer than \(Self.maximumRecordBytes >> 20) MiB or has more than \(Self.maximumFields) fields\(why); this is not an incident export")
            }
        }
        if state == .quoted {
            throw CSVError(
                file: url.path, line: quoteLine,
                reason: "unbalanced quotes: the quoted field opened on line \(quoteLine) (record starting on line \(recordLine)) is never closed; every later line would be swallowed into it. Check that line for a stray \" character.")
        }
        if inRecord { try emit() }
    }

    /// Rejects files that are plainly not UTF-8/Latin-1 text, before they turn into garbage rows.
    private func checkEncoding(_ head: UnsafeBufferPointer<UInt8>) throws {
        if head.count >= 2, (head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF) {
            throw CSVError(file: url.path, line: 1, reason: "is UTF-16 text; save it as UTF-8 CSV (in Excel: \"CSV UTF-8\")")
        }
        if head.prefix(4096).contains(0) {
            throw CSVError(file: url.path, line: 1, reason: "holds binary data (NUL bytes), not CSV text")
        }
    }

    private func reserve(bytes: Int, fields: Int) {
        Self.grow(&buf, capacity: &bufCap, count: bufCount, toHold: bytes)
        Self.grow(&ends, capacity: &endsCap, count: fieldCount, toHold: fields)
    }

    private static func grow<T>(_ p: inout UnsafeMutablePointer<T>, capacity: inout Int, count: Int, toHold needed: Int) {
        guard needed > capacity else { return }
        let cap = max(needed, capacity * 2)
        let new = UnsafeMutablePointer<T>.allocate(capacity: cap)
        new.moveInitialize(from: p, count: count)
        p.deallocate()
        p = new
        capacity = cap
    }

    fileprivate func noteNonUTF8(line: Int) {
        if firstNonUTF8Line == nil { firstNonUTF8Line = line }
    }
}

/// One CSV record, valid only inside the `forEachRecord` call that produced it.
package struct CSVRecord {
    fileprivate unowned let reader: CSVReader
    /// The physical line (1-based) the record starts on.
    package let line: Int
    /// Number of fields.
    package let count: Int
    fileprivate let bytes: UnsafeMutablePointer<UInt8>
    fileprivate let ends: UnsafeMutablePointer<Int>

    /// Field `i`'s bytes, unquoted, without surrounding spaces or tabs.
    package func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        var s = i == 0 ? 0 : ends[i - 1] + 1
        var e = ends[i]
        while s < e, bytes[s] == 0x20 || bytes[s] == 0x09 { s += 1 }
        while e > s, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09 { e -= 1 }
        return UnsafeBufferPointer(start: bytes + s, count: e - s)
    }

    /// Whether field `i` is empty or only spaces.
    package func isBlank(_ i: Int) -> Bool { bytes(i).isEmpty }

    /// Field `i` as text, trimmed; bytes that are not UTF-8 are read as Windows-1252 (a superset
    /// of Latin-1 for printable characters) and the reader notes the line.
    package func string(_ i: Int) -> String {
        let b = bytes(i)
        if let s = String(validating: b, as: UTF8.self) { return s }
        reader.noteNonUTF8(line: line)
        return CSVText.decodeWindows1252(b)
    }

    /// Field `i` untrimmed, as text (for echoing the record back in rejects files).
    package func rawString(_ i: Int) -> String {
        let s = i == 0 ? 0 : ends[i - 1] + 1
        let b = UnsafeBufferPointer(start: bytes + s, count: ends[i] - s)
        return String(validating: b, as: UTF8.self) ?? CSVText.decodeWindows1252(b)
    }

    /// Field `i` as a number: `.empty` when blank, `.invalid` unless the whole field is one
    /// decimal number (C locale; "inf" and "nan" parse and the caller checks finiteness).
    package func number(_ i: Int) -> CSVNumber {
        let b = bytes(i)
        if b.isEmpty { return .empty }
        // The field is NUL-terminated in the buffer (trailing spaces were trimmed above, so
        // strtod may stop before the NUL; everything up to b's end must be consumed).
        let start = UnsafeMutableRawPointer(mutating: b.baseAddress!).assumingMemoryBound(to: CChar.self)
        var endPtr: UnsafeMutablePointer<CChar>?
        let v = strtod(start, &endPtr)
        guard let endPtr, endPtr == start + b.count else { return .invalid }
        return .value(v)
    }

    /// All fields as text (tests, error messages).
    package var fields: [String] { (0..<count).map(rawString) }

    /// The record written back as one CSV line (quoted where needed), for rejects files.
    package var csvText: String { CSVText.line((0..<count).map(rawString)) }
}

/// How a CSV field reads as a number.
package enum CSVNumber: Equatable, Sendable {
    case empty
    case invalid
    case value(Double)
}

/// A CSV file could not be read; the message names the file and, when known, the line.
package struct CSVError: LocalizedError, Sendable, Equatable {
    package let file: String
    package let line: Int?
    package let reason: String
    package init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }
    package var errorDescription: String? {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}

/// Small text helpers shared by CSV reading and writing.
package enum CSVText {
    /// One CSV line (no line end): fields quoted when they hold a comma, quote, CR or LF,
    /// start or end with a space, or start with U+FEFF.
    package static func line(_ fields: [String]) -> String {
        var out = ""
        for (n, f) in fields.enumerated() {
            if n > 0 { out += "," }
            out += field(f)
        }
        return out
    }

    /// One field, quoted when needed (RFC 4180 §2.6–2.7).
    ///
    /// Works on UTF-8 bytes, not Characters: a quote or space followed by a combining mark
    /// (`"\u{0613}`) is one Character, which String's `replacingOccurrences(of: "\"")` and
    /// `hasPrefix(" ")` do not match, so the quote went undoubled and the field read back changed.
    package static func field(_ f: String) -> String {
        let utf8 = f.utf8
        // A leading U+FEFF is quoted too: as a file's first bytes a reader takes it for a byte-order mark.
        let needsQuotes = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || utf8.first == 0x20 || utf8.last == 0x20 || utf8.starts(with: [0xEF, 0xBB, 0xBF])
        guard needsQuotes else { return f }
        var out: [UInt8] = [0x22]
        out.reserveCapacity(utf8.count + 8)
        for b in utf8 {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes bytes as Windows-1252, whose 0x80–0x9F block holds the curly quotes and dashes
    /// spreadsheets write; elsewhere it equals Latin-1.
    package static func decodeWindows1252<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for b in bytes {
            if (0x80...0x9F).contains(b) {
                let u = windows1252High[Int(b - 0x80)]
                scalars.append(Unicode.Scalar(u) ?? "\u{FFFD}")
            } else {
                scalars.append(Unicode.Scalar(b))
            }
        }
        return String(scalars)
    }

    // Windows-1252 0x80...0x9F; the five undefined positions map to their C1 control code.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
}
