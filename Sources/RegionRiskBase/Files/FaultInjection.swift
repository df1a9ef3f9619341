import Foundation

/// Named failure points for the fault tests: a test sets `REGIONRISK_TEST_FAULT` to
/// `point=kill` (the process sends itself SIGKILL there, as `kill -9` would), `point=fail` (the
/// step throws as if the disk were full), or `point` (a flag, e.g. `publish.no-exchange`);
/// several separated by commas. Unset, every point is a no-op costing one dictionary lookup.
///
/// Points: `publish.before-swap`, `publish.after-aside`, `publish.after-swap`, `publish.before-latest`,
/// `publish.after-latest`, `report.history`, `ingest.before-commit` (see `ReportFolder.publish` and `RiskReport.run`);
/// flag `publish.no-exchange` forces the two-rename path used where RENAME_EXCHANGE is missing.
package enum FaultInjection {
    enum Action: String { case kill, fail, flag }

    static let configured: [String: Action] = parse(ProcessInfo.processInfo.environment["REGIONRISK_TEST_FAULT"] ?? "")

    static func parse(_ text: String) -> [String: Action] {
        var out: [String: Action] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first, !name.isEmpty else { continue }
            out[name] = parts.count > 1 ? Action(rawValue: parts[1]) ?? .flag : .flag
        }
        return out
    }

    /// Kills the process or throws when the test asked for it at `name`.
    package static func point(_ name: String) throws {
        switch configured[name] {
        case .kill?: kill(getpid(), SIGKILL)
        case .fail?: throw FaultInjectionError(point: name)
        default: break
        }
    }

    /// Whether the flag `name` is set.
    package static func isSet(_ name: String) -> Bool { configured[name] != nil }
}

/// A failure injected at a named point (tests only).
package struct FaultInjectionError: LocalizedError, Sendable {
    package let point: String
    package var errorDescription: String? { "injected failure at \(point) (REGIONRISK_TEST_FAULT)" }
}
