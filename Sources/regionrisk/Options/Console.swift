import Foundation
import Logging
import RegionRisk

/// Diagnostics on standard error: human-readable lines by default, JSON lines for log collectors.
/// Results go to files or standard output; nothing else is printed on standard output.
///
/// With `--log-format json` every line on standard error is one JSON object (README, "Logs"):
/// `time`, `level`, `event` (a stable machine name such as `ingest_finished` or `region_flagged`),
/// `message` (the text line), `command`, then the line's own fields in key order (`region_id`,
/// `category`, counts, `path`, …), numbers as JSON numbers. Each run ends with one `run_finished`
/// line carrying `exit_status`, `seconds` and the run's counts.
struct Console: @unchecked Sendable {
    enum Format: String, CaseIterable { case text, json }

    let logger: Logger

    static var standard: Console = Console(logger: Logger(label: "regionrisk"))
    /// Whether a command has set up logging (the failure path prints plainly before that).
    private(set) static var isBootstrapped = false
    /// The format chosen by the running command (until it bootstraps: what its arguments ask for).
    static var format: Format = .text
    /// What the closing `run_finished` line reports.
    static let run = RunRecord()

    /// Sets up swift-log once per process.
    static func bootstrap(format: Format, quiet: Bool) {
        isBootstrapped = true
        self.format = format
        LoggingSystem.bootstrap { label in
            var h = StderrLogHandler(label: label, format: format)
            h.logLevel = quiet ? .warning : .info
            return h
        }
        var logger = Logger(label: "regionrisk")
        if let command = run.command { logger[metadataKey: "command"] = .string(command) }
        standard = Console(logger: logger)
    }

    /// Logs `message` with a machine name `event` and structured `fields` (JSON logs carry them;
    /// text logs show the message only). Lines without a name of their own are `event: "message"`.
    func info(_ message: String, event: String = "message", _ fields: Logger.Metadata = [:]) {
        logger.info("\(message)", metadata: Self.metadata(event, fields))
    }
    func warning(_ message: String, event: String = "warning", _ fields: Logger.Metadata = [:]) {
        logger.warning("\(message)", metadata: Self.metadata(event, fields))
    }
    func error(_ message: String, event: String = "error", _ fields: Logger.Metadata = [:]) {
        logger.error("\(message)", metadata: Self.metadata(event, fields))
    }

    private static func metadata(_ event: String, _ fields: Logger.Metadata) -> Logger.Metadata {
        var m = fields
        m["event"] = .string(event)
        return m
    }

    /// Writes the run's closing `run_finished` line (JSON logs only; always written, even with
    /// `--quiet`, so that a log collector sees how every run ended).
    static func finishRun(status: Int32) {
        guard format == .json else { return }
        var fields: [(String, JSONValue)] = [
            ("exit_status", .number(Double(status))),
            ("seconds", .number((Date().timeIntervalSince(run.started) * 1000).rounded() / 1000)),
        ]
        let counts = run.counts
        if !counts.isEmpty { fields.append(("counts", .object(counts.map { ($0.0, .number(Double($0.1))) }))) }
        if let command = run.command { fields.append(("command", .string(command))) }
        writeJSONLine(level: status == 0 ? "info" : "error", event: "run_finished",
                      message: "finished with exit status \(status)", fields: fields)
    }

    /// One JSON line on standard error: time, level, event, message, then `fields`.
    static func writeJSONLine(level: String, event: String, message: String, fields: [(String, JSONValue)]) {
        let head: [(String, JSONValue)] = [
            ("time", .string(ISO8601DateFormatter().string(from: Date()))), ("level", .string(level)),
            ("event", .string(event)), ("message", .string(message)),
        ]
        FileHandle.standardError.write(Data((JSONValue.object(head + fields).serialized() + "\n").utf8))
    }
}

extension Logger.MetadataValue {
    /// A number field (stays a JSON number in JSON logs).
    static func number(_ n: Int) -> Self { .stringConvertible(n) }
    /// A number field, rounded to `significant` digits so that logs stay readable.
    static func number(_ x: Double, significant: Int = 6) -> Self {
        guard x.isFinite, x != 0 else { return .stringConvertible(x) }
        let scale = pow(10, Double(significant) - (log10(abs(x))).rounded(.up))
        let rounded = (x * scale).rounded() / scale
        // Subnormal or extreme values overflow the scale: keep them as they are.
        return .stringConvertible(rounded.isFinite ? rounded : x)
    }
    /// Seconds, to the millisecond.
    static func seconds(since start: Date) -> Self { .stringConvertible((Date().timeIntervalSince(start) * 1000).rounded() / 1000) }
}

/// The command running, when it started, and the counts it reports in `run_finished`.
final class RunRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var storedCounts: [(String, Int)] = []
    private(set) var started = Date()
    private(set) var command: String?

    /// Called once the command line is parsed; `json`: the arguments ask for JSON logs.
    func begin(command: String, json: Bool) {
        locked { self.command = command; started = Date() }
        if json { Console.format = .json }
    }

    /// Sets the count `name` (snake_case, e.g. `added`, `regions_new`) for the summary line.
    func count(_ name: String, _ value: Int) {
        locked {
            if let i = storedCounts.firstIndex(where: { $0.0 == name }) { storedCounts[i].1 = value } else { storedCounts.append((name, value)) }
        }
    }

    var counts: [(String, Int)] { locked { storedCounts } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
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
        switch format {
        case .text:
            let time = ISO8601DateFormatter().string(from: Date())
            FileHandle.standardError.write(Data("\(time) \(event.level.rawValue): \(event.message)\n".utf8))
        case .json:
            var all = metadata
            for (k, v) in event.metadata ?? [:] { all[k] = v }
            let name = all.removeValue(forKey: "event").map { "\($0)" } ?? "message"
            let fields = all.sorted(by: { $0.key < $1.key }).map { ($0.key, Self.json($0.value)) }
            Console.writeJSONLine(level: event.level.rawValue, event: name, message: "\(event.message)", fields: fields)
        }
    }

    /// Numbers and booleans logged as `.stringConvertible` stay numbers and booleans in JSON.
    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case let .string(s): return .string(s)
        case let .stringConvertible(c):
            switch c {
            case let b as Bool: return .bool(b)
            case let i as Int: return .number(Double(i))
            case let i as Int64: return .number(Double(i))
            case let i as Int32: return .number(Double(i))
            case let d as Double where d.isFinite: return .number(d)
            default: return .string(c.description)
            }
        case let .array(a): return .array(a.map(json))
        case let .dictionary(d): return .object(d.sorted(by: { $0.key < $1.key }).map { ($0.key, json($0.value)) })
        }
    }
}
