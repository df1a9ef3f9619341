import ArgumentParser

/// Diagnostics settings every subcommand takes.
struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "Diagnostics on stderr: text (default) or json (one object per line, for log collectors).")
    var logFormat: Console.Format = .text

    @Flag(help: "Only warnings and errors on stderr.")
    var quiet = false

    /// Sets up logging; call first in `run()`.
    func bootstrap() { Console.bootstrap(format: logFormat, quiet: quiet) }
}

extension Console.Format: ExpressibleByArgument {}

extension Console {
    /// Runs a command body; a failure is logged (so it lands in JSON logs too) and becomes exit
    /// status 1. Exit codes thrown on purpose pass through.
    func reportingFailure(_ body: () throws -> Void) throws {
        do { try body() } catch let code as ExitCode { throw code } catch {
            self.error(error.localizedDescription)
            throw ExitCode.failure
        }
    }
}
