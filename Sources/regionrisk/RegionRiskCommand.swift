import ArgumentParser
import RegionRisk

@main
struct RegionRiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regionrisk",
        abstract: "Region-risk engine: incident density, newly active regions, reports.",
        version: RegionRiskVersion.string,
        subcommands: [IngestCommand.self, EventsCommand.self, GenerateACLEDCommand.self])
}
