import Foundation
import RegionRiskBase

/// Writes synthetic ACLED-format exports of any size for benchmarks and tests: the same
/// parameters always give byte-identical files. Events cluster around Malian towns with a
/// uniform background; notes hold commas, doubled quotes and, now and then, a line break, so
/// the CSV reader's slow paths are exercised in proportion.
package struct ACLEDFileGenerator: Sendable {
    package enum Layout: String, Sendable, CaseIterable {
        /// 28 columns, `01 July 2025` dates (ACLED exports before 2023).
        case classic
        /// 31 columns with actor2, civilian_targeting, tags; `2025-07-01` dates.
        case current
    }

    /// Data rows to write (repeated rows included).
    package var rows: Int
    package var seed: UInt64
    package var layout: Layout
    /// Share of events written a second time with another actor, as older ACLED exports do.
    package var repeatedActorShare: Double
    /// Events fall on days `firstDate ..< firstDate + days`.
    package var firstDate: CivilDate
    package var days: Int
    /// First event number (ids are `MLI<n>`); lets two generated files overlap or not.
    package var firstEventNumber: Int

    package init(
        rows: Int, seed: UInt64 = 20_240_601, layout: Layout = .classic, repeatedActorShare: Double = 0,
        firstDate: CivilDate = CivilDate(year: 2018, month: 1, day: 1)!, days: Int = 2922, firstEventNumber: Int = 1
    ) {
        self.rows = rows
        self.seed = seed
        self.layout = layout
        self.repeatedActorShare = repeatedActorShare
        self.firstDate = firstDate
        self.days = days
        self.firstEventNumber = firstEventNumber
    }

    package static let classicHeader = [
        "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision", "event_type",
        "sub_event_type", "actor1", "assoc_actor_1", "inter1", "interaction", "region", "country", "admin1", "admin2",
        "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
        "timestamp", "iso3",
    ]
    package static let currentHeader = [
        "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
        "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
        "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
        "source_scale", "notes", "fatalities", "tags", "timestamp",
    ]

    /// Writes the file atomically.
    package func write(to url: URL) throws {
        let out = try StreamingAtomicFile(url: url)
        try forEachLine { try out.write($0) }
        try out.commit()
    }

    /// Calls `body` with the header line, then each data line, each ending in "\n".
    package func forEachLine(_ body: (String) throws -> Void) throws {
        var rng = SplitMix64(seed: seed)
        let header = layout == .classic ? Self.classicHeader : Self.currentHeader
        try body(header.joined(separator: ",") + "\n")
        var written = 0
        var number = firstEventNumber
        while written < rows {
            let event = makeEvent(number: number, rng: &rng)
            try body(line(event, actor: event.actor1, actor2: event.actor2))
            written += 1
            if written < rows, rng.nextDouble() < repeatedActorShare {
                try body(line(event, actor: event.actor2, actor2: event.actor1))
                written += 1
            }
            number += 1
        }
    }

    struct Event {
        var number: Int
        var date: CivilDate
        var type: (String, String, String)  // event type, sub-event type, disorder type
        var actor1: String
        var actor2: String
        var town: Town
        var lat: Double
        var lon: Double
        var precision: Int
        var fatalities: Int
        var notes: String
        var timestamp: Int
    }

    struct Town {
        var name: String
        var admin1: String
        var admin2: String
        var lat: Double
        var lon: Double
        var weight: Double
        var spreadKm: Double
    }

    // Town positions and spreads as in ../shared/peers/gen_events.py, so both generators put
    // events in the same places.
    static let towns: [Town] = [
        Town(name: "Bamako", admin1: "Bamako", admin2: "Bamako", lat: 12.65, lon: -8.00, weight: 0.14, spreadKm: 15),
        Town(name: "Mopti", admin1: "Mopti", admin2: "Mopti", lat: 14.49, lon: -4.20, weight: 0.14, spreadKm: 35),
        Town(name: "Gao", admin1: "Gao", admin2: "Gao", lat: 16.27, lon: -0.04, weight: 0.11, spreadKm: 30),
        Town(name: "Timbuktu", admin1: "Tombouctou", admin2: "Tombouctou", lat: 16.77, lon: -3.01, weight: 0.09, spreadKm: 30),
        Town(name: "Kidal", admin1: "Kidal", admin2: "Kidal", lat: 18.44, lon: 1.41, weight: 0.06, spreadKm: 40),
        Town(name: "Kayes", admin1: "Kayes", admin2: "Kayes", lat: 14.45, lon: -11.44, weight: 0.04, spreadKm: 25),
        Town(name: "Segou", admin1: "Segou", admin2: "Segou", lat: 13.43, lon: -6.26, weight: 0.10, spreadKm: 30),
        Town(name: "Sikasso", admin1: "Sikasso", admin2: "Sikasso", lat: 11.32, lon: -5.67, weight: 0.05, spreadKm: 25),
        Town(name: "Menaka", admin1: "Menaka", admin2: "Menaka", lat: 15.92, lon: 2.40, weight: 0.10, spreadKm: 35),
        Town(name: "Nioro du Sahel", admin1: "Kayes", admin2: "Nioro", lat: 15.23, lon: -9.59, weight: 0.05, spreadKm: 25),
        Town(name: "Dioura", admin1: "Mopti", admin2: "Tenenkou", lat: 14.85, lon: -5.25, weight: 0.12, spreadKm: 20),
    ]
    static let types: [(String, String, String, Double)] = [
        ("Battles", "Armed clash", "Political violence", 2.5),
        ("Violence against civilians", "Attack", "Political violence", 1.8),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence", 1.2),
        ("Strategic developments", "Looting/property destruction", "Strategic developments", 0.1),
        ("Protests", "Peaceful protest", "Demonstrations", 0.02),
        ("Riots", "Violent demonstration", "Demonstrations", 0.3),
    ]
    static let typeShares = [0.30, 0.30, 0.15, 0.12, 0.08, 0.05]
    static let actors = [
        "JNIM: Group for Support of Islam and Muslims", "Islamic State (Sahel)", "Military Forces of Mali (2021-)",
        "Wagner Group", "Dozo Communal Militia (Mali)", "Civilians (Mali)", "Unidentified Armed Group (Mali)",
        "CSP-PSD: Permanent Strategic Framework for Peace, Security and Development",
    ]

    func makeEvent(number: Int, rng: inout SplitMix64) -> Event {
        let background = rng.nextDouble() < 0.15
        var town = Self.towns[rng.pick(weights: Self.towns.map(\.weight))]
        var lat: Double, lon: Double
        if background {
            lat = 10.1 + rng.nextDouble() * (25.0 - 10.1)
            lon = -12.3 + rng.nextDouble() * (4.3 + 12.3)
            town = Self.towns.min { abs($0.lat - lat) + abs($0.lon - lon) < abs($1.lat - lat) + abs($1.lon - lon) }!
        } else {
            let kmPerDeg = 111.32
            lat = town.lat + rng.nextGaussian() * town.spreadKm / kmPerDeg
            lon = town.lon + rng.nextGaussian() * town.spreadKm / (kmPerDeg * cos(town.lat * .pi / 180))
            lat = min(max(lat, 10.1), 25.0)
            lon = min(max(lon, -12.3), 4.3)
        }
        let t = rng.pick(weights: Self.typeShares)
        let type = Self.types[t]
        let a1 = Int(rng.next() % UInt64(Self.actors.count))
        let a2 = (a1 + 1 + Int(rng.next() % UInt64(Self.actors.count - 1))) % Self.actors.count
        let fatalities = rng.nextPoisson(mean: type.3)
        let date = firstDate.adding(days: Int(rng.next() % UInt64(max(days, 1))))
        var notes = "On \(date), \(Self.actors[a1]) clashed with \(Self.actors[a2]) near \(town.name) (\(town.admin1)). \(fatalities) fatalities reported."
        let r = rng.nextDouble()
        if r < 0.10 { notes += " Local sources said \"at least \(fatalities + 2)\" were killed." }
        if r < 0.001 { notes += "\nUpdated: figures revised." }
        let precision = 1 + rng.pick(weights: [0.7, 0.2, 0.1])
        return Event(
            number: number, date: date, type: (type.0, type.1, type.2), actor1: Self.actors[a1], actor2: Self.actors[a2],
            town: town, lat: lat, lon: lon, precision: precision, fatalities: fatalities, notes: notes,
            timestamp: 1_600_000_000 + number)
    }

    func line(_ e: Event, actor: String, actor2: String) -> String {
        let (y, m, d) = e.date.components
        let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let lat = String(format: "%.4f", e.lat), lon = String(format: "%.4f", e.lon)
        let fields: [String]
        switch layout {
        case .classic:
            fields = [
                String(e.number), "466", "MLI\(e.number)", String(e.number), (d < 10 ? "0\(d)" : "\(d)") + " \(monthNames[m - 1]) \(y)",
                String(y), "1", e.type.0, e.type.1, actor, "", "2", "12", "Western Africa", "Mali", e.town.admin1,
                e.town.admin2, "", e.town.name, lat, lon, String(e.precision), "Studio Tamani", "National", e.notes,
                String(e.fatalities), String(e.timestamp), "MLI",
            ]
        case .current:
            fields = [
                "MLI\(e.number)", e.date.description, String(y), "1", e.type.2, e.type.0, e.type.1, actor, "", "Rebel group",
                actor2, "", "State forces", "Rebel group-State forces", e.type.0 == "Violence against civilians" ? "Civilian targeting" : "",
                "466", "Western Africa", "Mali", e.town.admin1, e.town.admin2, "", e.town.name, lat, lon, String(e.precision),
                "Studio Tamani", "National", e.notes, String(e.fatalities), "", String(e.timestamp),
            ]
        }
        return CSVText.line(fields) + "\n"
    }
}
