import Foundation
import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskReport


/// A gazetteer stand-in: "Testville" is a confident match, "Twintown" an ambiguous weak one.
struct TestResolver: PlaceNameResolver {
    func resolvePlaceName(_ name: String, admin1Hint: String?) -> PlaceNameResolution? {
        switch name {
        case "Testville":
            return PlaceNameResolution(
                location: LonLat(lon: -4.1, lat: 14.3), matchedName: "Testville", geonameID: 42, admin1: "Mopti",
                confidence: 0.93, isAmbiguous: false)
        case "Twintown":
            return PlaceNameResolution(
                location: LonLat(lon: -5.0, lat: 13.0), matchedName: "Twin Town", geonameID: 43, admin1: nil,
                confidence: 0.41, isAmbiguous: true)
        default:
            return nil
        }
    }
}

final class IncidentFileReaderTests: XCTestCase {
    private func fixture(_ name: String) -> URL { Fixtures.url("events/in/\(name)") }

    func testACLEDClassicLayout() throws {
        let r = try IncidentFileReader().read(fixture("acled-classic.csv"))
        XCTAssertEqual(r.format, .acled)
        XCTAssertEqual(r.rowsRead, 5)
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.duplicatesSkipped, 1, "MLI9001 is listed once per actor")
        XCTAssertEqual(r.incidents.map(\.sourceEventID), ["MLI9001", "MLI9002", "MLI9003", "MLI9004"])
        XCTAssertEqual(r.lineNumbers, [2, 4, 5, 7], "MLI9003's note spans lines 5-6")
        let first = r.incidents[0]
        XCTAssertEqual(first.source, "acled")
        XCTAssertEqual(first.date, CivilDate(year: 2024, month: 3, day: 3))
        XCTAssertEqual(first.location, LonLat(lon: -3.52, lat: 14.08))
        XCTAssertEqual(first.locationPrecision, .exact)
        XCTAssertEqual(first.place, "Bankass")
        XCTAssertEqual(first.admin1, "Mopti")
        XCTAssertEqual(first.eventType, "Battles")
        XCTAssertEqual(first.actor, "JNIM: Group for Support of Islam and Muslims", "the first row of a repeated event wins")
        XCTAssertEqual(first.fatalities, 4)
        XCTAssertNil(first.weight)
        XCTAssertEqual(r.incidents.map(\.date), [
            CivilDate(year: 2024, month: 3, day: 3), CivilDate(year: 2024, month: 7, day: 15),
            CivilDate(year: 2024, month: 8, day: 1), CivilDate(year: 2025, month: 2, day: 28),
        ])
        XCTAssertEqual(r.incidents.map(\.locationPrecision), [.exact, .near, .regionOnly, .exact])
        XCTAssertEqual(r.incidents[3].actor, "CSP-PSD: Permanent Strategic Framework for Peace, Security and Development")
    }

    func testACLEDCurrentLayoutWithBOMAndCRLF() throws {
        let r = try IncidentFileReader().read(fixture("acled-current.csv"))
        XCTAssertEqual(r.format, .acled)
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.incidents.map(\.sourceEventID), ["MLI7001", "MLI7002", "MLI7003"])
        XCTAssertEqual(r.lineNumbers, [2, 4, 5])
        XCTAssertEqual(r.incidents[1].admin1, "Ségou")
        XCTAssertEqual(r.incidents[1].date, CivilDate(year: 2025, month: 6, day: 14))
        XCTAssertEqual(r.incidents.map(\.fatalities), [13, 7, 0])
        XCTAssertEqual(r.incidents[2].locationPrecision, .regionOnly)
        XCTAssertEqual(r.notes, [])
    }

    func testUCDPGED() throws {
        let r = try IncidentFileReader().read(fixture("ucdp-ged.csv"))
        XCTAssertEqual(r.format, .ucdp)
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.incidents.map(\.sourceEventID), ["900001", "900002", "900003"])
        XCTAssertEqual(r.incidents.map(\.source), ["ucdp", "ucdp", "ucdp"])
        XCTAssertEqual(r.incidents.map(\.fatalities), [11, 30, 0], "fatalities are UCDP's best estimate")
        XCTAssertEqual(r.incidents.map(\.locationPrecision), [.exact, .regionOnly, .near], "where_prec 1, 4, 2")
        XCTAssertEqual(r.incidents.map(\.date), [
            CivilDate(year: 2022, month: 3, day: 4), CivilDate(year: 2022, month: 4, day: 10), CivilDate(year: 2022, month: 5, day: 1),
        ], "the first day of a range")
        XCTAssertEqual(r.incidents.map(\.eventType), ["state-based conflict", "one-sided violence", "non-state conflict"])
        XCTAssertEqual(r.incidents[0].place, "Boni village")
        XCTAssertEqual(r.incidents[0].admin1, "Mopti region")
        XCTAssertEqual(r.incidents[0].actor, "Government of Mali")
        XCTAssertEqual(r.incidents[1].location, LonLat(lon: 2.4, lat: 15.9167))
    }

    /// The real UCDP GED 23.1 sample: 1,000 rows, checked against values read off its first
    /// two rows by eye (one has an unquoted field holding a quote).
    func testRealUCDPSample() throws {
        let url = try SharedData.url("geodata/ucdp-ged231-sample1000.csv")
        let r = try IncidentFileReader().read(url)
        XCTAssertEqual(r.format, .ucdp)
        XCTAssertEqual(r.rowsRead, 1000)
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.incidents.count, 1000)
        let first = r.incidents[0]
        XCTAssertEqual(first.sourceEventID, "300380")
        XCTAssertEqual(first.location, LonLat(lon: 36.558974, lat: 35.763369))
        XCTAssertEqual(first.date, CivilDate(year: 2013, month: 1, day: 3))
        XCTAssertEqual(first.fatalities, 2)
        XCTAssertEqual(first.locationPrecision, .exact)
        let second = r.incidents[1]
        XCTAssertEqual(second.sourceEventID, "21300")
        XCTAssertEqual(second.date, CivilDate(year: 1989, month: 5, day: 10))
        XCTAssertEqual(second.fatalities, 14)
        XCTAssertEqual(second.locationPrecision, .regionOnly, "where_prec 4: a province")
    }

    /// The embedded sample's format reads as plain CSV with no flags.
    func testSeedFormatReadsAsPlainCSV() throws {
        let r = try IncidentFileReader().read(fixture("seed-format.csv"))
        XCTAssertEqual(r.format, .csv)
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.incidents.map(\.sourceEventID), ["TST-20240301-1", "TST-20240412-1", "TST-20250105-1"])
        XCTAssertEqual(r.incidents.map(\.locationPrecision), [.exact, .near, .regionOnly])
        XCTAssertEqual(r.incidents.map(\.place), ["Douentza (weekly market)", "road between Sevare and Bandiagara", "Gao region (unspecified)"])
        XCTAssertEqual(r.incidents.map(\.admin1), ["Mopti", nil, "Gao"])
        XCTAssertEqual(r.incidents.map(\.fatalities), [5, nil, 2])
        XCTAssertEqual(r.incidents.map(\.actor), ["unknown armed men", "suspected militants", "unknown"])
        XCTAssertEqual(r.incidents[0].location, LonLat(lon: -2.9497, lat: 15.0019))
        XCTAssertEqual(r.incidents[0].eventType, "battle")
    }

    /// The team's seed list (77 rows): every row reads, none rejected.
    func testSharedSeedListReadsWholly() throws {
        let url = try SharedData.url("seed/incidents-2024-2025.csv")
        let r = try IncidentFileReader().read(url)
        XCTAssertEqual(r.format, .csv)
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.incidents.count, 77)
        XCTAssertEqual(Set(r.incidents.map(\.sourceEventID)).count, 77)
        XCTAssertTrue(r.incidents.allSatisfy { $0.locationPrecision != .unknown && $0.date != nil })
        XCTAssertTrue(r.incidents.allSatisfy { (-12.5...4.5).contains($0.location.lon) && (10...25.5).contains($0.location.lat) })
    }

    func testPlainCSVWithColumnOverrides() throws {
        let columns = IncidentColumns(latitude: "Y", longitude: "X", date: "When", place: "Town", admin1: "Region", weight: "Score", type: "Kind", id: "Ref")
        let r = try IncidentFileReader(columns: columns).read(fixture("custom-columns.csv"))
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.incidents.map(\.sourceEventID), ["C-1", "C-2"])
        XCTAssertEqual(r.incidents.map(\.weight), [2.5, 0.5])
        XCTAssertEqual(r.incidents.map(\.fatalities), [nil, nil], "Killed is not a known fatalities name")
        XCTAssertEqual(r.incidents.map(\.eventType), ["clash", "protest"])
        XCTAssertEqual(r.incidents[0].location, LonLat(lon: -6.2157, lat: 13.4317))
        XCTAssertEqual(r.incidents[1].admin1, "Bamako")

        // Without flags only the Town column is recognised: rows are placed by name, and a note says
        // how to name the coordinate columns.
        let unflagged = try IncidentFileReader().read(fixture("custom-columns.csv"))
        XCTAssertEqual(unflagged.incidents, [])
        XCTAssertEqual(unflagged.rejected.count, 2)
        XCTAssertTrue(unflagged.notes.contains { $0.contains("--lat-col") }, "\(unflagged.notes)")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cols-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bare = dir.appendingPathComponent("bare.csv")
        try "Ref,Y,X\n1,2,3\n".write(to: bare, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try IncidentFileReader().read(bare)) {
            XCTAssertTrue($0.localizedDescription.contains("--lat-col"), $0.localizedDescription)
            XCTAssertTrue($0.localizedDescription.contains("Ref, Y, X"), "lists the columns: \($0.localizedDescription)")
        }
        XCTAssertThrowsError(try IncidentFileReader(columns: IncidentColumns(weight: "Nope")).read(fixture("seed-format.csv"))) {
            XCTAssertTrue($0.localizedDescription.contains("no column \"Nope\""), $0.localizedDescription)
        }
    }

    func testWeightIsReadOnlyWhenAsked() throws {
        let plain = try IncidentFileReader().read(fixture("acled-classic.csv"))
        XCTAssertTrue(plain.incidents.allSatisfy { $0.weight == nil })
        let weighted = try IncidentFileReader(columns: IncidentColumns(weight: "fatalities")).read(fixture("acled-classic.csv"))
        XCTAssertEqual(weighted.incidents.map(\.weight), [4, 10, 0, 6])
    }

    func testGeoJSONPoints() throws {
        let r = try IncidentFileReader(resolver: TestResolver()).read(fixture("points.geojson"))
        XCTAssertEqual(r.format, .geojson)
        XCTAssertEqual(r.rowsRead, 5)
        XCTAssertEqual(r.incidents.map(\.sourceEventID), ["G-1", "G-2", "G-4"], "G-2's id is the Feature's own")
        XCTAssertEqual(r.lineNumbers, [3, 4, 6])
        XCTAssertEqual(r.incidents[0].location, LonLat(lon: -3.9956, lat: 14.4843))
        XCTAssertEqual(r.incidents[0].fatalities, 3)
        XCTAssertEqual(r.incidents[0].locationPrecision, .exact)
        XCTAssertEqual(r.incidents[1].fatalities, 2, "a numeric string property")
        XCTAssertEqual(r.incidents[2].location, LonLat(lon: -4.1, lat: 14.3), "null geometry: geocoded from location")
        XCTAssertEqual(r.geocodes[2]?.geonameID, 42)
        XCTAssertEqual(r.rejected.map(\.line), [5, 7])
        XCTAssertEqual(r.rejected[0].column, "geometry")
        XCTAssertTrue(r.rejected[0].reason.contains("Polygon"))
        XCTAssertEqual(r.rejected[1].column, GeoJSONIncidents.longitudeColumn)
        XCTAssertTrue(r.rejected[1].reason.contains("out of range"), r.rejected[1].reason)
    }

    func testEachBadRowIsRejectedWithLineColumnAndReason() throws {
        let r = try IncidentFileReader().read(fixture("bad-rows.csv"))
        XCTAssertEqual(r.rowsRead, 17)
        XCTAssertEqual(r.incidents.map(\.sourceEventID), ["B-ok1", "B-ok2"])
        let got = r.rejected.map(\.description)
        XCTAssertEqual(got, [
            "bad-rows.csv:3: latitude: \"abc\" is not a number",
            "bad-rows.csv:4: latitude: 95.5 is out of range (-90 to 90)",
            "bad-rows.csv:5: longitude: \"nan\" is not a finite number",
            "bad-rows.csv:6: longitude: missing (latitude is given)",
            "bad-rows.csv:7: event_date: \"2025-02-30\" is not a valid date",
            "bad-rows.csv:8: event_date: \"yesterday\" is not a date (expected 2025-07-01 or 01 July 2025)",
            "bad-rows.csv:9: fatalities: -3 is negative",
            "bad-rows.csv:10: fatalities: \"many\" is not a number",
            "bad-rows.csv:11: has 4 fields; the header has 6 (a missing comma, or a line break inside an unquoted field?)",
            "bad-rows.csv:12: location: no coordinates and no place name to look up",
            "bad-rows.csv:13: event_date: 2999-01-01 is in the future",
            "bad-rows.csv:14: latitude: \"inf\" is not a finite number",
            "bad-rows.csv:16: event_date: missing",
            "bad-rows.csv:17: longitude: -181 is out of range (-180 to 180)",
            "bad-rows.csv:18: has 7 fields; the header has 6 (a comma inside an unquoted field?)",
        ])
        XCTAssertEqual(r.rejected[0].rawRecord, "B-lat-text,2024-07-01,abc,-4.2,1,Mopti")
        XCTAssertEqual(r.rejected[0].file, "bad-rows.csv")
    }

    func testPlacesWithoutCoordinatesAreGeocodedOrRejected() throws {
        let r = try IncidentFileReader(resolver: TestResolver()).read(fixture("news-places.csv"))
        XCTAssertEqual(r.incidents.map(\.sourceEventID), ["N-1", "N-4"])
        XCTAssertEqual(r.incidents[0].location, LonLat(lon: -4.1, lat: 14.3))
        XCTAssertEqual(r.geocodes[0]?.matchedName, "Testville")
        XCTAssertNil(r.geocodes[1], "N-4 had coordinates")
        XCTAssertEqual(r.rejected.map(\.description), [
            "news-places.csv:3: location: no coordinates, and \"Twintown\" matched \"Twin Town\" with confidence 0.41, below the 0.60 threshold (ambiguous)",
            "news-places.csv:4: location: no coordinates, and \"Nowhere Town\" is not in the gazetteer",
        ])
        let lenient = try IncidentFileReader(resolver: TestResolver(), minimumGeocodeConfidence: 0.4).read(fixture("news-places.csv"))
        XCTAssertEqual(lenient.incidents.map(\.sourceEventID), ["N-1", "N-2", "N-4"])
        XCTAssertEqual(lenient.geocodes[1]?.isAmbiguous, true)

        let noGazetteer = try IncidentFileReader().read(fixture("news-places.csv"))
        XCTAssertEqual(noGazetteer.incidents.map(\.sourceEventID), ["N-4"])
        XCTAssertTrue(noGazetteer.rejected[0].reason.contains("no gazetteer"))
    }

    func testLatin1FileReadsWithANote() throws {
        let r = try IncidentFileReader().read(fixture("latin1.csv"))
        XCTAssertEqual(r.incidents.map(\.place), ["Ségou", "Mopti – port"])
        XCTAssertEqual(r.notes.count, 1)
        XCTAssertTrue(r.notes[0].contains("line 2") && r.notes[0].contains("Latin-1"), r.notes[0])
        XCTAssertTrue(r.notes[0].contains("no date") == false)
    }

    func testUnreadableFilesThrowNamingTheFile() {
        let cases: [(String, String)] = [
            ("empty.csv", "is empty"), ("header-only.csv", "has a header but no rows"),
            ("unbalanced-quotes.csv", "unbalanced quotes"), ("does-not-exist.csv", "no such file"),
        ]
        for (name, message) in cases {
            XCTAssertThrowsError(try IncidentFileReader().read(fixture(name)), name) {
                XCTAssertTrue($0.localizedDescription.contains(name), $0.localizedDescription)
                XCTAssertTrue($0.localizedDescription.contains(message), $0.localizedDescription)
            }
        }
        XCTAssertThrowsError(try IncidentFileReader(format: .acled).read(fixture("seed-format.csv"))) {
            XCTAssertTrue($0.localizedDescription.contains("event_id_cnty"), $0.localizedDescription)
        }
    }

    func testFilesWithoutIdsGetStableContentIds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("noid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("noid.csv")
        try "date,lat,lon,place\n2024-01-01,14.5,-4.2,A\n2024-01-02,14.5,-4.2,A\n".write(to: url, atomically: true, encoding: .utf8)
        let a = try IncidentFileReader().read(url), b = try IncidentFileReader().read(url)
        XCTAssertEqual(a.incidents.map(\.sourceEventID), b.incidents.map(\.sourceEventID))
        XCTAssertEqual(Set(a.incidents.map(\.sourceEventID)).count, 2)
        XCTAssertTrue(a.incidents.allSatisfy { $0.sourceEventID.hasPrefix("h") })
    }

    func testConflictingRepeatedIdIsRejected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("dup.csv")
        try "event_id,date,lat,lon\nX,2024-01-01,14.5,-4.2\nX,2024-01-09,14.5,-4.2\n".write(to: url, atomically: true, encoding: .utf8)
        let r = try IncidentFileReader().read(url)
        XCTAssertEqual(r.incidents.count, 1)
        XCTAssertEqual(r.rejected.map(\.description), ["dup.csv:3: event_id: \"X\" repeats the id on line 2 with a different date or location"])
    }

    func testStreamingGivesTheSameAsReading() throws {
        let url = fixture("acled-classic.csv")
        var streamed: [Incident] = [], lines: [Int] = [], rejected = 0
        let format = try IncidentFileReader().forEach(url, { streamed.append($0); lines.append($1) }, rejected: { _ in rejected += 1 })
        let read = try IncidentFileReader().read(url)
        XCTAssertEqual(format, .acled)
        XCTAssertEqual(streamed, read.incidents)
        XCTAssertEqual(lines, read.lineNumbers)
        XCTAssertEqual(rejected, 0)
    }

    func testRejectsFileIsCSVThatReadsBack() throws {
        let r = try IncidentFileReader().read(fixture("bad-rows.csv"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rejects-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("bad-rows.rejects.csv")
        try RejectsFile.write(r.rejected, to: out)
        var rows: [[String]] = []
        try CSVReader(url: out).forEachRecord { rows.append($0.fields) }
        XCTAssertEqual(rows.first, ["file", "line", "column", "reason", "record"])
        XCTAssertEqual(rows.count, r.rejected.count + 1)
        XCTAssertEqual(rows[1], ["bad-rows.csv", "3", "latitude", "\"abc\" is not a number", "B-lat-text,2024-07-01,abc,-4.2,1,Mopti"])
        XCTAssertEqual(RejectsFile.defaultURL(for: URL(fileURLWithPath: "/d/acled-mali.csv")).path, "/d/acled-mali.rejects.csv")
    }
}
