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
