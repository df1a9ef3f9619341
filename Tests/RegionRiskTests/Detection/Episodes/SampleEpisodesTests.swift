import XCTest
import RegionRiskGeodata
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskGeoJSON
@testable import RegionRiskGeometry
@testable import RegionRiskGrid

/// The bars on the embedded sample of real incidents, as of 2025-07-08 (the day after the
/// 1 July attacks in western Mali were reported in full).
final class SampleEpisodesTests: XCTestCase {
    static let asOf = CivilDate(year: 2025, month: 7, day: 8)!

    func sample() throws -> [Incident] {
        try IncidentFileReader().read(try EmbeddedGeodata.url("samples/incidents-2024-2025.csv")).incidents
    }

    func detect(_ incidents: [Incident]) throws -> ChangeDetectionResult {
        var p = ChangeDetectionParameters()
        p.asOf = Self.asOf
        return try ChangeDetector.run(incidents: incidents, area: try AreaOfInterest.embeddedMali(), parameters: p,
                                      namer: try GazetteerRegionNamer.embeddedMali())
    }

    func region(holding eventID: String, in result: ChangeDetectionResult) -> [FlaggedRegion] {
        result.regions.filter { $0.incidents.contains { $0.sourceEventID == eventID } }
    }

    func testEveryRegionHoldsItsOwnIncidentsAndEachRecentEventIsInExactlyOneRegion() throws {
        let incidents = try sample()
        let result = try detect(incidents)
        XCTAssertFalse(result.regions.isEmpty)
        var seen = Set<String>()
        for r in result.regions {
            XCTAssertFalse(r.incidents.isEmpty, "region \(r.id) \(r.places) holds no incident")
            let shape = try PreparedGeometry(try Geometry(geoJSON: r.geometry))
            for e in r.incidents {
                XCTAssertTrue(seen.insert(e.sourceEventID).inserted, "\(e.sourceEventID) is in two regions")
                // Inside its own footprint (which reaches 50 km beyond it, so a small tolerance is plenty).
                XCTAssertTrue(try shape.covers(x: e.location.lon, y: e.location.lat), "\(e.sourceEventID) outside region \(r.id)")
            }
        }
        // Every recent event that the test uses is in one region (all episodes are flagged by default).
        let recentStart = Self.asOf.adding(days: -29)
        let recent = incidents.filter { e in
            e.date.map { $0 >= recentStart && $0 <= Self.asOf } == true && e.locationPrecision != .regionOnly
        }
        XCTAssertEqual(seen, Set(recent.map(\.sourceEventID)))
        XCTAssertEqual(result.episodesTested, result.regions.count)
    }

    func testTheGoguiAttackIsOneRegionAndOnlyOneRegionIsNamedAfterGogui() throws {
        let result = try detect(try sample())
        let gogui = region(holding: "MLI-20250701-6", in: result)
        XCTAssertEqual(gogui.count, 1)
        let named = result.regions.filter { r in r.places.contains { $0.contains("Gogui") } }
        XCTAssertEqual(named.map(\.id), gogui.map(\.id), "\(result.regions.map(\.places))")
        XCTAssertEqual(gogui.first?.places.first, "Gogui")
    }

    func testKayesAndDiboliAreNewTheCentreIsNotAndNiorosCategoryFollowsFromItsTest() throws {
        let result = try detect(try sample())
        for id in ["MLI-20250701-1", "MLI-20250701-7"] {  // Kayes, Diboli
            XCTAssertEqual(region(holding: id, in: result).map(\.category), [.new], id)
        }
        XCTAssertTrue(result.regions.contains { $0.places.contains("Kayes") && $0.category == .new })
        XCTAssertTrue(result.regions.contains { $0.places.contains("Diboli") && $0.category == .new })
        // Diafarabé (Barké Daga, 9 June, after the Diafarabé attacks of May) and anything named
        // after Diafarabé or Dioura is not new.
        XCTAssertNotEqual(region(holding: "MLI-20250609-1", in: result).first?.category, .new)
        for r in result.regions where r.places.contains(where: { $0.contains("Diafarabé") || $0.contains("Dioura") }) {
            XCTAssertNotEqual(r.category, .new, "\(r.summary)")
        }
        // Nioro du Sahel was attacked in August 2024 and January 2025: not new; escalating exactly
        // when its episode's q-value says so.
        let nioro = try XCTUnwrap(region(holding: "MLI-20250701-2", in: result).first)
        XCTAssertGreaterThan(nioro.baselineEvents, 0)
        XCTAssertEqual(nioro.category, nioro.qValue < 0.05 ? .escalating : .persistent, "q = \(nioro.qValue)")
        XCTAssertEqual(nioro.places.first, "Nioro du Sahel")
        print("sample as of 2025-07-08:\n" + result.regions.map { "  \($0.id) \($0.category.rawValue) p=\($0.pValue) q=\($0.qValue) expected=\($0.expectedEvents) \($0.summary)" }.joined(separator: "\n"))
    }

    func testTheSameSeedGivesTheSameResult() throws {
        let incidents = try sample()
        let a = try detect(incidents), b = try detect(incidents)
        XCTAssertEqual(a.regions.map(\.pValue), b.regions.map(\.pValue))
        XCTAssertEqual(a.regions.map(\.places), b.regions.map(\.places))
    }
}
