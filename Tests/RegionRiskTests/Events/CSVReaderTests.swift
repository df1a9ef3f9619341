import Foundation
import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskGeoJSON


final class CSVReaderTests: XCTestCase {
    private func records(_ url: URL, chunkSize: Int = 1 << 20) throws -> [(line: Int, fields: [String])] {
        var out: [(Int, [String])] = []
        try CSVReader(url: url, chunkSize: chunkSize).forEachRecord { out.append(($0.line, $0.fields)) }
        return out
    }

    private func temporaryFile(_ bytes: [UInt8], name: String = "t.csv") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csvreader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Python's csv module (output committed by Fixtures/events/make_fixtures.py) is the
    /// reference: quoted commas, doubled quotes, line breaks and CRLF inside quotes, a blank
    /// line, a lone CR line end, text after a closing quote, a quote inside an unquoted field.
    func testRecordsAndStartLinesMatchPythonCSVModule() throws {
        let expected = try JSONValue.parse(Data(contentsOf: Fixtures.url("events/out/tricky.python.json")))
        let want: [(Int, [String])] = expected.arrayValue!.map { r in
            (Int(r["line"]!.doubleValue!), r["fields"]!.arrayValue!.map { $0.stringValue! })
        }
        for chunkSize in [16, 17, 1 << 20] {
            let got = try records(Fixtures.url("events/in/tricky.csv"), chunkSize: chunkSize)
            XCTAssertEqual(got.map(\.line), want.map(\.0), "chunk \(chunkSize)")
            XCTAssertEqual(got.map(\.fields), want.map(\.1), "chunk \(chunkSize)")
        }
    }

    /// Random fields full of separators, written by the simplest correct writer (quote every
    /// field, double every quote) and read back, across chunk sizes that split records anywhere.
    func testRandomRecordsRoundTripAcrossChunkBoundaries() throws {
        var rng = SplitMix64(seed: 42)
        let alphabet: [String] = ["a", "b", ",", "\"", "\n", "\r\n", " ", "é", "ಠ", "1", "."]
        var rows: [[String]] = []
        for _ in 0..<300 {
            let n = 1 + Int(rng.next() % 6)
            rows.append((0..<n).map { _ in
                (0..<Int(rng.next() % 12)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            })
        }
        var text = ""
        var expectedLines: [Int] = []
        var line = 1
        for row in rows {
            expectedLines.append(line)
            let encoded = row.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
            text += encoded + "\r\n"
            line += 1 + row.reduce(0) { $0 + $1.utf8.filter { $0 == 0x0A }.count }
        }
        let url = try temporaryFile(Array(text.utf8))
        for chunkSize in [16, 31, 4096] {
            let got = try records(url, chunkSize: chunkSize)
            XCTAssertEqual(got.map(\.fields), rows, "chunk \(chunkSize)")
            XCTAssertEqual(got.map(\.line), expectedLines, "chunk \(chunkSize)")
        }
    }

    /// `CSVReader(bytes:name:)`, the fuzzer's entry point, is the file's parser: the same
    /// records, start lines and errors as reading the file, at chunk sizes that split records.
    func testBytesInMemoryReadAsTheFileDoes() throws {
        func outcome(_ reader: () throws -> CSVReader) -> String {
            var out: [String] = []
            do { try reader().forEachRecord { out.append("\($0.line): \($0.fields)") } } catch { out.append("\(error)") }
            return out.joined(separator: "\n")
        }
        for fixture in ["events/in/tricky.csv", "events/in/unbalanced-quotes.csv", "events/in/latin1.csv"] {
            let url = Fixtures.url(fixture)
            let bytes = try Array(Data(contentsOf: url))
            for chunkSize in [16, 17, 1 << 20] {
                let fromFile = outcome { try CSVReader(url: url, chunkSize: chunkSize) }
                XCTAssertFalse(fromFile.isEmpty)
                XCTAssertEqual(outcome { CSVReader(bytes: bytes, name: url.path, chunkSize: chunkSize) }, fromFile, "\(fixture), chunk \(chunkSize)")
            }
        }
        XCTAssertEqual(outcome { CSVReader(bytes: [], name: "empty.csv") }, "")
    }

    func testUnbalancedQuoteNamesFileAndTheLineItOpensOn() throws {
        let url = Fixtures.url("events/in/unbalanced-quotes.csv")
        var seen: [String] = []
        XCTAssertThrowsError(try CSVReader(url: url).forEachRecord { seen.append($0.string(0)) }) { error in
            let e = error as! CSVError
            XCTAssertEqual(e.line, 3)
            XCTAssertTrue(e.localizedDescription.contains("unbalanced-quotes.csv:3:"), e.localizedDescription)
            XCTAssertTrue(e.localizedDescription.contains("never closed"), e.localizedDescription)
        }
        XCTAssertEqual(seen, ["event_id", "U-1"], "records before the bad one are delivered")
    }

    func testByteOrderMarkAndCRLFAreInvisible() throws {
        let got = try records(Fixtures.url("events/in/acled-current.csv"))
        XCTAssertEqual(got.first?.fields.first, "event_id_cnty")
        XCTAssertEqual(got.map(\.line), [1, 2, 4, 5], "the CRLF inside a quoted note counts as one line")
        XCTAssertEqual(got[1].fields[27], "Attack on the camp; the army said \"13 assailants\" were killed.\r\nFigures disputed.")
        XCTAssertFalse(got.flatMap(\.fields).contains { $0.hasSuffix("\r") })
    }

    func testLatin1BytesAreDecodedAndTheirLineNoted() throws {
        let reader = try CSVReader(url: Fixtures.url("events/in/latin1.csv"))
        var places: [String] = []
        try reader.forEachRecord { if $0.line > 1 { places.append($0.string(4)) } }
        XCTAssertEqual(places, ["Ségou", "Mopti – port"])
        XCTAssertEqual(reader.firstNonUTF8Line, 2)
    }

    func testUTF16AndBinaryFilesAreRefusedWithAReason() throws {
        let utf16 = try temporaryFile([0xFF, 0xFE, 0x61, 0x00, 0x2C, 0x00])
        XCTAssertThrowsError(try CSVReader(url: utf16).forEachRecord { _ in }) {
            XCTAssertTrue($0.localizedDescription.contains("UTF-16"), $0.localizedDescription)
        }
        let binary = try temporaryFile([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x14])
        XCTAssertThrowsError(try CSVReader(url: binary).forEachRecord { _ in }) {
            XCTAssertTrue($0.localizedDescription.contains("binary"), $0.localizedDescription)
        }
    }

    func testMissingFileErrorNamesIt() {
        XCTAssertThrowsError(try CSVReader(url: URL(fileURLWithPath: "/nonexistent/x.csv"))) {
            XCTAssertTrue($0.localizedDescription.contains("/nonexistent/x.csv"), $0.localizedDescription)
        }
    }

    func testNumbersParseOnlyWhenTheWholeFieldIsANumber() throws {
        let url = try temporaryFile(Array(" 12.5 ,1e3,-0.25,abc,,12.5x,nan, \n".utf8))
        var got: [CSVNumber] = []
        try CSVReader(url: url).forEachRecord { r in got = (0..<r.count).map { r.number($0) } }
        XCTAssertEqual(got.count, 8)
        XCTAssertEqual(got[0..<6], [.value(12.5), .value(1000), .value(-0.25), .invalid, .empty, .invalid])
        XCTAssertEqual(got[7], .empty)
        guard case let .value(v) = got[6] else { return XCTFail("nan parses as a number; finiteness is the caller's check") }
        XCTAssertTrue(v.isNaN)
    }

    func testWrittenLinesReadBack() throws {
        let fields = ["plain", "with, comma", "with \"quote\"", "two\nlines", " padded ", ""]
        let url = try temporaryFile(Array((CSVText.line(fields) + "\n").utf8))
        XCTAssertEqual(try records(url).first?.fields, fields)
    }

    /// The csv fuzz target's crash (Tests/Fuzz/csv/corpus/csv-combining-after-quote.csv): a quote
    /// followed by a combining mark (U+0613) is one Character, so the writer left it undoubled
    /// and `"\u{0613}ast` read back as `\u{0613}ast"`. Leading and trailing spaces before a
    /// combining mark are the same trap for the quoting rule.
    func testFieldsWithCombiningMarksAfterQuotesOrSpacesReadBack() throws {
        let fields = ["\"\u{0613}ast", "a\"\u{0301}\"b", " \u{0301}x", "x \u{0301}", "\u{0301}\""]
        XCTAssertEqual(CSVText.field("\"\u{0613}ast"), "\"\"\"\u{0613}ast\"")
        XCTAssertEqual(CSVText.field(" \u{0301}x"), "\" \u{0301}x\"")
        let url = try temporaryFile(Array((CSVText.line(fields) + "\n").utf8))
        XCTAssertEqual(try records(url).first?.fields, fields)
    }

    /// The fuzzer's input itself, whole: every record written back with `CSVText.line` reads
    /// back the same, as the csv fuzz harness checks.
    func testCSVFuzzCrashInputRoundTrips() throws {
        let input = Array((
            "a,b,cp\nlac\",\"Iteratorcp\nlicOomma\",\"doub,ed`\"\"quo\"\" inside\"\n"
            + "\"multGi\nlineBool\",x,\"crlf\r\ninside\"\r\n,,\n\n\"a\"b,ab\" \n\"\",\"\"\"\"\u{0613}ast").utf8)
        XCTAssertEqual(input.count, 121)
        let url = try temporaryFile(input)
        let read = try records(url, chunkSize: 64).map(\.fields)
        XCTAssertEqual(read.last, ["", "\"\u{0613}ast"])
        let written = try temporaryFile(Array((read.map(CSVText.line).joined(separator: "\n") + "\n").utf8))
        XCTAssertEqual(try records(written).map(\.fields), read)
    }

    /// The csv fuzz target's second crash (Tests/Fuzz/csv/corpus/csv-feff-after-blank-line.csv):
    /// after a blank first line, a record may start with U+FEFF, which is data there; written
    /// back as a file's first line it was taken for a byte-order mark and dropped. The writer
    /// quotes a field that starts with it.
    func testAFieldStartingWithFEFFIsQuotedAndReadsBack() throws {
        let input: [UInt8] = [0x0D, 0xEF, 0xBB, 0xBF, 0x71]
        let read = try records(try temporaryFile(input)).map(\.fields).filter { $0 != [""] }
        XCTAssertEqual(read, [["\u{FEFF}q"]])
        XCTAssertEqual(CSVText.field("\u{FEFF}q"), "\"\u{FEFF}q\"")
        let written = try temporaryFile(Array((read.map(CSVText.line).joined(separator: "\n") + "\n").utf8))
        XCTAssertEqual(try records(written).map(\.fields), read)
    }
}

