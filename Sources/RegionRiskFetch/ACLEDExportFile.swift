import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON

/// Rows from ACLED's API written as the ACLED CSV export they stand for, so that `fetch` feeds
/// them through the same reader and store ingest as `ingest acled.csv` (same columns, same
/// rejects and messages), plus the deleted ids as ACLED's deleted-events file.
public enum ACLEDExportFile {
    /// Writes `rows` as CSV: ACLED's current export columns first (those the rows have), then
    /// any other field in the order first met. Strings as sent; numbers without a trailing ".0".
    public static func writeEvents(_ rows: [JSONValue], to url: URL) throws {
        var columns: [String] = []
        var seen = Set<String>()
        let known = ACLEDFileGenerator.currentHeader
        let present = Set(rows.flatMap { $0.objectValue?.map(\.0) ?? [] })
        for c in known where present.contains(c) { columns.append(c); seen.insert(c) }
        for row in rows { for (k, _) in row.objectValue ?? [] where !seen.contains(k) { columns.append(k); seen.insert(k) } }
        if columns.isEmpty { columns = known }
        let out = try StreamingAtomicFile(url: url)
        try out.write(CSVText.line(columns) + "\n")
        for row in rows { try out.write(CSVText.line(columns.map { cell(row[$0]) }) + "\n") }
        try out.commit()
    }

    /// Writes ACLED's deleted-events file: an `event_id_cnty` column.
    public static func writeDeletions(_ ids: [String], to url: URL) throws {
        try AtomicFile.write((["event_id_cnty"] + ids.map { CSVText.line([$0]) }).joined(separator: "\n") + "\n", to: url)
    }

    static func cell(_ v: JSONValue?) -> String {
        switch v {
        case nil, .null?: return ""
        case let .string(s)?: return s
        case let .bool(b)?: return b ? "true" : "false"
        case let .number(d)?: return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case let other?: return other.serialized()
        }
    }

    /// The name `fetch` gives the file of one fetch: `acled-api-<country>-<latest timestamp>.csv`.
    /// The store records it with the ingest, and the next fetch reads its timestamp back from
    /// there to continue (`latestTimestamp(inFileName:)`).
    public static func fileName(country: String, latestTimestamp: Int?) -> String {
        "\(baseName(country: country))-\(latestTimestamp.map(String.init) ?? "none").csv"
    }

    /// `acled-api-<country>` (lowercased, other than letters and digits as `-`).
    public static func baseName(country: String) -> String {
        "acled-api-" + country.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    /// The latest ACLED timestamp a fetch's file name records, for `country`; nil if the name is not one.
    public static func latestTimestamp(inFileName name: String, country: String) -> Int? {
        let prefix = String(fileName(country: country, latestTimestamp: nil).dropLast("none.csv".count))
        guard name.hasPrefix(prefix), name.hasSuffix(".csv") else { return nil }
        return Int(name.dropFirst(prefix.count).dropLast(4))
    }
}
