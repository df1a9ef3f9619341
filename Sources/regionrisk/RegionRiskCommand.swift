import ArgumentParser
import RegionRisk

@main
struct RegionRiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regionrisk",
        abstract: "Region-risk engine: incident density, newly active regions, reports.",
        version: RegionRiskVersion.string,
        subcommands: [
            ReportCommand.self, DensityCommand.self, FlagCommand.self, GeocodeCommand.self, IngestCommand.self,
            EventsCommand.self, StoreCommand.self, FetchCommand.self, RiskCommand.self, BacktestCommand.self, BenchCommand.self, GazetteerCommand.self, GenerateACLEDCommand.self,
        ])
}
