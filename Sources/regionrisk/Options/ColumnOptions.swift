import ArgumentParser
import RegionRisk

/// Column names for plain CSV incident files (ACLED and UCDP exports need none).
struct ColumnOptions: ParsableArguments {
    @Option(name: .customLong("lat-col"), help: "Latitude column (plain CSV; default: latitude or lat).") var latCol: String?
    @Option(name: .customLong("lon-col"), help: "Longitude column (default: longitude, lon or lng).") var lonCol: String?
    @Option(name: .customLong("date-col"), help: "Date column (default: event_date or date).") var dateCol: String?
    @Option(name: .customLong("place-col"), help: "Place-name column (default: location or place).") var placeCol: String?
    @Option(name: .customLong("admin1-col"), help: "Region column (default: admin1).") var admin1Col: String?
    @Option(name: .customLong("weight-col"), help: "Column read as each event's weight (none unless given).") var weightCol: String?
    @Option(name: .customLong("type-col"), help: "Event-type column (default: event_type or type).") var typeCol: String?
    @Option(name: .customLong("id-col"), help: "Event-id column (default: event_id or id; without one, ids are derived from the content).") var idCol: String?

    var columns: IncidentColumns {
        IncidentColumns(latitude: latCol, longitude: lonCol, date: dateCol, place: placeCol, admin1: admin1Col, weight: weightCol,
                        type: typeCol, id: idCol)
    }
}
