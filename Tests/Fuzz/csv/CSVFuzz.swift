import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
@testable import RegionRiskData

/// The CSV reader on any bytes: it either throws a CSVError or hands out records whose fields
/// all decode; for UTF-8 input, the records written back with `CSVText.line` read back the same.

func csvFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let url = FuzzInput.file(data, size)
    var records: [[String]] = []
    do {
        let reader = try CSVReader(url: url, chunkSize: 64)  // small chunks: records straddle chunk ends
        try reader.forEachRecord { record in
            for i in 0..<record.count { _ = record.number(i); _ = record.string(i); _ = CivilDate.parse(utf8: Array(record.bytes(i))) }
            let fields = record.fields
            precondition(fields.count == record.count)
            if fields != [""] { records.append(fields) }
        }
    } catch is CSVError {
        return 0
    } catch {
        preconditionFailure("unexpected error type \(type(of: error)): \(error)")
    }
    guard String(validating: input, as: UTF8.self) != nil, !input.contains(0), !input.starts(with: [0xEF, 0xBB, 0xBF]),
        !records.isEmpty
    else { return 0 }
    let written = records.map(CSVText.line).joined(separator: "\n") + "\n"
    let again = Array(written.utf8)
    let url2 = again.withUnsafeBufferPointer { FuzzInput.file($0.baseAddress!, $0.count) }
    var reread: [[String]] = []
    do {
        try CSVReader(url: url2).forEachRecord { reread.append($0.fields) }
    } catch {
        preconditionFailure("written CSV does not read back: \(error)")
    }
    precondition(reread == records, "CSV round trip changed the records: \(records) → \(reread)")
    return 0
}
