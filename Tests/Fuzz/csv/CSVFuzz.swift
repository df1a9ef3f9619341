import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
@testable import RegionRiskData

/// The CSV reader on any bytes: it either throws a CSVError or hands out records whose fields
/// all decode; for UTF-8 input, the records written back with `CSVText.line` read back the same.
/// Inputs are read from memory (`CSVReader(bytes:)`, the same chunked parser as a file); the
/// file path is fuzzed by the row target.

func csvFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    var records: [[String]] = []
    do {
        let reader = CSVReader(bytes: Array(input), name: "input.csv", chunkSize: 64)  // small chunks: records straddle chunk ends
        try reader.forEachRecord { record in
            for i in 0..<record.count { _ = record.number(i); _ = record.string(i); _ = CivilDate.parse(utf8: record.bytes(i)) }
            let fields = record.fields
            fuzzCheck(fields.count == record.count, "\(fields.count) fields for a record of \(record.count)")
            if fields != [""] { records.append(fields) }
        }
    } catch is CSVError {
        return 0
    } catch {
        fuzzCheck(false, "unexpected error type \(type(of: error)): \(error)")
    }
    guard String(validating: input, as: UTF8.self) != nil, !input.contains(0), !input.starts(with: [0xEF, 0xBB, 0xBF]),
        !records.isEmpty
    else { return 0 }
    let written = records.map(CSVText.line).joined(separator: "\n") + "\n"
    var reread: [[String]] = []
    do {
        try CSVReader(bytes: Array(written.utf8), name: "written.csv").forEachRecord { reread.append($0.fields) }
    } catch {
        fuzzCheck(false, "written CSV does not read back: \(error)")
    }
    fuzzCheck(reread == records, "CSV round trip changed the records: \(records) → \(reread)")
    return 0
}
