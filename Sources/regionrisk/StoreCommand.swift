import ArgumentParser
import Foundation
import Logging
import RegionRisk
import RegionRiskPostgres

/// `regionrisk store …`: moving a store between SQLite and PostgreSQL.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Manage incident stores (SQLite files and PostgreSQL databases).",
        subcommands: [StoreCopyCommand.self])
}

/// `regionrisk store copy --from A --to B`: every event with its provenance, the ingest runs
/// and the report runs, in one transaction on the target.
struct StoreCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole store into a new, empty one: SQLite to PostgreSQL, PostgreSQL to SQLite, or alike.",
        discussion: "The target must hold nothing yet (a new SQLite path, or a database without RegionRisk tables or with empty ones). One transaction: interrupted, the target is left empty.")

    @Option(help: ArgumentHelp("The store to copy: a SQLite path or postgresql://user@host:port/dbname.", valueName: "path-or-url"))
    var from: String

    @Option(help: ArgumentHelp("The new store: a SQLite path or postgresql://user@host:port/dbname.", valueName: "path-or-url"))
    var to: String

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if from == to { throw ValidationError("--from and --to name the same store") }
    }

    func run() throws {
        logging.bootstrap()
        let source = try IncidentStores.open(from, create: false, readOnly: true)
        let target = try IncidentStores.open(to, create: true)
        let started = Date()
        let n = try IncidentStores.copy(from: source, to: target)
        Console.standard.info("copied \(n) event\(n == 1 ? "" : "s") from \(source.displayName) to \(target.displayName) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s",
                              event: "store_copied",
                              ["events": .number(n), "from": .string(source.displayName), "to": .string(target.displayName),
                               "seconds": .seconds(since: started)])
        Console.run.count("events", n)
    }
}
