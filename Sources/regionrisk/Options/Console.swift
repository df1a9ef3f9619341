import Foundation
import Logging
import RegionRisk

/// Diagnostics on standard error: human-readable lines by default, JSON lines for log collectors.
/// Results go to files or standard output; nothing else is printed on standard output.
struct Console: @unchecked Sendable {
    enum Format: String, CaseIterable { case text, json }

    let logger: Logger

    static var standard: Console = Console(logger: Logger(label: "regionrisk"))
    /// Whether a command has set up logging (the failure path prints plainly before that).
    private(set) static var isBootstrapped = false

    /// Sets up swift-log once per process.
    static func bootstrap(format: Format, quiet: Bool) {
        isBootstrapped = true
        LoggingSystem.bootstrap { label in
            var h = StderrLogHandler(label: label, format: format)
            h.logLevel = quiet ? .warning : .info
            return h
        }
        standard = Console(logger: Logger(label: "regionrisk"))
    }

    func info(_ message: String) { logger.info("\(message)") }
    func warning(_ message: String) { logger.warning("\(message)") }
    func error(_ message: String) { logger.error("\(message)") }
}

/// A swift-log handler writing one line per message to standard error.
struct StderrLogHandler: LogHandler {
    let label: String
    let format: Console.Format
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, format: Console.Format) {
        self.label = label
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level = event.level, message = event.message, metadata = event.metadata
        let time = ISO8601DateFormatter().string(from: Date())
        let text: String
        switch format {
        case .text:
            text = "\(time) \(level.rawValue): \(message)\n"
        case .json:
            var fields: [(String, String)] = [("time", time), ("level", level.rawValue), ("message", "\(message)")]
            for (k, v) in (metadata ?? [:]).sorted(by: { $0.key < $1.key }) { fields.append((k, "\(v)")) }
            text = "{" + fields.map { "\(jsonString($0.0)):\(jsonString($0.1))" }.joined(separator: ",") + "}\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    private func jsonString(_ s: String) -> String { JSONValue.string(s).serialized() }
}
