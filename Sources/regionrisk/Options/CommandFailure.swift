import ArgumentParser
import Foundation
import RegionRisk

/// Exit statuses of `regionrisk` (README, "Exit status").
enum ExitStatus {
    /// Done.
    static let success: Int32 = 0
    /// A runtime failure: unreadable input, unwritable output, a damaged store, a lock held too long.
    static let failure: Int32 = 1
    /// `report`: done, and new or escalating regions appeared since the previous run.
    /// `ingest --strict`: rows were rejected, so nothing was stored.
    static let newRegionsOrStrictRejects: Int32 = 3
    /// `report`: published, but the run history could not be written (read the report).
    static let publishedWithoutHistory: Int32 = 4
    /// A usage error: an option or argument that cannot be used (sysexits EX_USAGE).
    static let usage: Int32 = 64
    /// `ingest`: another ingest kept the store locked past `--wait` (sysexits EX_TEMPFAIL).
    static let busy: Int32 = 75
}

/// What a command throws to end other than by returning. `RegionRiskCommand.main` is the one
/// place that turns it, or any other error, into a message and an exit status.
enum CommandFailure: Error {
    /// The command finished; its status carries a result (report's 3). Nothing more is printed.
    case result(Int32)
    /// An option value that cannot be used, found while running: message, exit 64.
    case usage(String)
    /// A runtime failure with the status to exit with (1, or ingest's 3 and 75): message logged.
    case failed(String, status: Int32)
}

extension RegionRiskCommand {
    /// Parses and runs the command; every failure ends here.
    ///
    /// - Argument-parser errors (unknown options, `validate()`'s `ValidationError`s, `--help`)
    ///   keep ArgumentParser's own message and status (64 for usage errors, 0 for help).
    /// - `CommandFailure` and the library's option-related errors map as documented above.
    /// - Any other error is a runtime failure: its message goes through the log (so JSON logs
    ///   carry it) and the status is 1.
    /// The words naming the command as typed, for logs: `fetch acled`, `gazetteer import`,
    /// `density` (the parsed command's name, with the subcommand words before it).
    static func commandPath(_ command: ParsableCommand.Type, arguments: [String]) -> String {
        let name = command.configuration.commandName ?? String(describing: command).lowercased()
        let words = arguments.dropFirst().prefix { !$0.hasPrefix("-") }
        guard let end = words.firstIndex(of: name) else { return name }
        return words[words.startIndex...end].joined(separator: " ")
    }

    static func main() {
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let status = exitCode(for: error).rawValue
            // With --log-format json even a parse error is a JSON line (help and --version still print plainly).
            if status != ExitStatus.success, requestsJSONLogs(CommandLine.arguments) {
                Console.writeJSONLine(level: "error", event: "usage_error", message: fullMessage(for: error),
                                      fields: [("exit_status", .number(Double(status)))])
                Console.format = .json
                Console.finishRun(status: status)
                Foundation.exit(status)
            }
            exit(withError: error)
        }
        Console.run.begin(command: commandPath(type(of: command), arguments: CommandLine.arguments),
                          json: requestsJSONLogs(CommandLine.arguments))
        do {
            var mutable = command
            try mutable.run()
            Console.finishRun(status: ExitStatus.success)
            Foundation.exit(ExitStatus.success)
        } catch where isParserOutcome(error) {
            // `regionrisk help …` and `--help` on a command with subcommands arrive here, from
            // the help command's `run()`: ArgumentParser prints them with their own status.
            exit(withError: error)
        } catch {
            let (message, status) = outcome(of: error)
            if let message {
                if !Console.isBootstrapped, Console.format == .json {
                    Console.writeJSONLine(level: "error", event: status == ExitStatus.usage ? "usage_error" : "failed", message: message,
                                          fields: [("exit_status", .number(Double(status)))])
                } else if status == ExitStatus.usage, !Console.isBootstrapped {
                    FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
                } else {
                    Console.standard.error(message, event: status == ExitStatus.usage ? "usage_error" : "failed",
                                           ["exit_status": .stringConvertible(Int(status))])
                }
            }
            Console.finishRun(status: status)
            Foundation.exit(status)
        }
    }

    /// True for ArgumentParser's own errors other than the ones `outcome` maps (ValidationError,
    /// ExitCode): help requests and parser errors, whose types the library keeps internal.
    static func isParserOutcome(_ error: Error) -> Bool {
        if error is ValidationError || error is ExitCode { return false }
        return error is CleanExit || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    /// Whether the command line asks for JSON logs (read before parsing succeeded).
    static func requestsJSONLogs(_ arguments: [String]) -> Bool {
        zip(arguments, arguments.dropFirst()).contains { $0 == "--log-format" && $1 == "json" }
            || arguments.contains("--log-format=json")
    }

    /// The message to print (nil for none) and the exit status for an error a command threw.
    static func outcome(of error: Error) -> (message: String?, status: Int32) {
        switch error {
        case let failure as CommandFailure:
            switch failure {
            case let .result(status): return (nil, status)
            case let .usage(message): return (message, ExitStatus.usage)
            case let .failed(message, status): return (message, status)
            }
        case let code as ExitCode:
            return (nil, code.rawValue)
        case let validation as ValidationError:
            return (validation.message, ExitStatus.usage)
        case is AnalysisRunError:
            // A --crs the grid cannot use is an option error.
            return (error.localizedDescription, ExitStatus.usage)
        default:
            return (error.localizedDescription, ExitStatus.failure)
        }
    }
}
