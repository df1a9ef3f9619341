import Foundation

/// The report was published whole, but this run could not be recorded in the run history (a
/// nearly full disk, a read-only store). The next run will compare against the previous
/// recorded run, so it may announce this run's new regions again; nothing is lost.
public struct RiskReportHistoryError: LocalizedError, Sendable {
    /// The published run, with its new regions.
    public let outcome: RiskReportOutcome
    public let reason: String

    public var errorDescription: String? {
        "the report was published (\(outcome.folder.path)) but the run history could not be written: \(reason); "
            + (outcome.newSincePreviousRun.isEmpty ? "no new regions this run" : "\(outcome.newSincePreviousRun.count) new or escalating regions are in the report")
            + ", and the next run will compare against the last recorded run"
    }
}
