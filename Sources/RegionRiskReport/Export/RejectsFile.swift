import Foundation
import RegionRiskBase
import RegionRiskData

/// The rejects CSV written beside an input file: `file,line,column,reason,record`.
public enum RejectsFile {
    public static let header = "file,line,column,reason,record"

    /// The default rejects path for `input`: `events.csv` → `events.rejects.csv`, beside it.
    public static func defaultURL(for input: URL) -> URL {
        let base = input.deletingPathExtension().lastPathComponent
        return input.deletingLastPathComponent().appendingPathComponent("\(base).rejects.csv")
    }

    /// Writes `rows` atomically (a reader never sees half a file).
    public static func write(_ rows: [RejectedRow], to url: URL) throws {
        var text = header + "\n"
        for r in rows {
            text += CSVText.line([r.file, String(r.line), r.column ?? "", r.reason, r.rawRecord])
            text += "\n"
        }
        try AtomicFile.write(text, to: url)
    }
}
