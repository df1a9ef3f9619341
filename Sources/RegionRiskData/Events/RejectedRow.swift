import Foundation
import RegionRiskBase

/// A row of an incident file that was not stored, and why.
public struct RejectedRow: Sendable, Hashable, CustomStringConvertible {
    /// The input file's name (last path component).
    public var file: String
    /// The physical line the row starts on (for GeoJSON, the line its Feature starts on).
    public var line: Int
    /// The column (header name as written in the file) at fault, when one is.
    public var column: String?
    public var reason: String
    /// The row as read, written back as CSV (GeoJSON: the Feature as JSON).
    public var rawRecord: String

    public init(file: String, line: Int, column: String?, reason: String, rawRecord: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        self.rawRecord = rawRecord
    }

    /// `events.csv:14: latitude: "abc" is not a number`
    public var description: String {
        if let column { return "\(file):\(line): \(column): \(reason)" }
        return "\(file):\(line): \(reason)"
    }
}
