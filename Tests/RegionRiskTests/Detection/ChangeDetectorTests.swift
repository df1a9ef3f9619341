import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskGeoJSON
@testable import RegionRiskGrid
@testable import RegionRiskReport

/// The scenario the product exists for: a quiet west, a busy centre, then a burst near Kayes.
final class ChangeDetectorTests: XCTestCase {
    let asOf = CivilDate(year: 2025, month: 7, day: 8)!
    let kayes = LonLat(lon: -11.44448, lat: 14.44693)
    let mopti = LonLat(lon: -4.2, lat: 14.49)

    func event(_ id: String, _ p: LonLat, daysBefore: Int, precision: LocationPrecision = .exact) -> Incident {
        Incident(source: "test", sourceEventID: id, date: asOf.adding(days: -daysBefore), location: p,
                 locationPrecision: precision, fatalities: 2)
    }

    /// One event every 9 days around Mopti for 400 days (small jitter), steady.
    func steadyCentre() -> [Incident] {
        (0..<45).map { k in
            event("c\(k)", LonLat(lon: mopti.lon + Double(k % 5) * 0.05, lat: mopti.lat + Double(k % 3) * 0.05), daysBefore: k * 9)
        }
    }

    func burstNearKayes(_ n: Int) -> [Incident] {
        (0..<n).map { k in event("k\(k)", LonLat(lon: kayes.lon + Double(k) * 0.05, lat: kayes.lat + 0.02 * Double(k)), daysBefore: 2 + 5 * k) }
    }

    func run(_ incidents: [Incident], significantOnly: Bool = false) throws -> ChangeDetectionResult {
        var p = ChangeDetectionParameters()
        p.asOf = asOf
        p.significantOnly = significantOnly
        return try ChangeDetector.run(incidents: incidents, area: try AreaOfInterest.embeddedMali(), parameters: p,
                                      namer: try GazetteerRegionNamer.embeddedMali())
    }

    func region(near p: LonLat, in result: ChangeDetectionResult) -> FlaggedRegion? {
        result.regions.first { r in
            guard let b = r.geometry.boundingBox else { return false }
            return p.lon >= b.west && p.lon <= b.east && p.lat >= b.south && p.lat <= b.north
        }
    }

    func testBurstOfFourNearKayesIsNewAndSignificantWhileTheCentreIsPersistent() throws {
        let result = try run(steadyCentre() + burstNearKayes(4))
        let west = try XCTUnwrap(region(near: kayes, in: result))
        XCTAssertEqual(west.category, .new)
        XCTAssertTrue(west.significant, "q = \(west.qValue)")
        XCTAssertEqual(west.recentEvents, 4)
        XCTAssertEqual(west.baselineEvents, 0)
        XCTAssertTrue(west.places.contains("Kayes"), "\(west.places)")
        XCTAssertEqual(west.admin1, ["Kayes"])
        XCTAssertTrue(west.summary.hasPrefix("New activity around"), west.summary)
        let centre = try XCTUnwrap(region(near: mopti, in: result))
        XCTAssertEqual(centre.category, .persistent)
        XCTAssertFalse(result.regions.contains { $0.category == .new && $0.id != west.id },
                       "only the west is new: \(result.regions.map(\.summary))")
    }

    func testSingleEventIsNewButNotYetSignificant() throws {
        let result = try run(steadyCentre() + burstNearKayes(1))
        let west = try XCTUnwrap(region(near: kayes, in: result))
        XCTAssertEqual(west.category, .new)
        XCTAssertFalse(west.significant)
        XCTAssertGreaterThan(west.pValue, 0.05)
        XCTAssertTrue(west.summary.contains("not yet significant"), west.summary)
        // --significant-only hides it, and says nothing else is new.
        XCTAssertNil(try run(steadyCentre() + burstNearKayes(1), significantOnly: true).regions.first { $0.category == .new })
    }

    func testWithoutTheBurstNothingIsNew() throws {
        let result = try run(steadyCentre())
        XCTAssertFalse(result.regions.contains { $0.category == .new }, result.regions.map(\.summary).joined(separator: "\n"))
    }

    func testEscalationIsSignificantWhenTheRateJumps() throws {
        // Two events in the baseline year, then eight in the last month, same place.
        let place = LonLat(lon: -1.3, lat: 15.0)
        let before = [event("b1", place, daysBefore: 200), event("b2", place, daysBefore: 300)]
        let now = (0..<8).map { event("n\($0)", place, daysBefore: 1 + 3 * $0) }
        let result = try run(before + now)
        let r = try XCTUnwrap(region(near: place, in: result))
        XCTAssertEqual(r.category, .escalating)
        XCTAssertTrue(r.significant)
    }

    func testImpreciseLocationsAreLeftOutAndCounted() throws {
        let vague = burstNearKayes(4).map { e -> Incident in var e = e; e.locationPrecision = .regionOnly; return e }
        let result = try run(steadyCentre() + vague)
        XCTAssertEqual(result.excludedRegionOnly, 4)
        XCTAssertNil(region(near: kayes, in: result))
    }

    func testEdgeCasesGiveClearMessagesOrEmptyResultsNeverNaN() throws {
        // No events at all.
        XCTAssertThrowsError(try run([])) { XCTAssertTrue($0.localizedDescription.contains("no dated events")) }
        // A single event.
        let single = try run([event("x", kayes, daysBefore: 3)])
        XCTAssertEqual(single.regions.count, 1)
        // All events identical in place and time.
        let same = try run((0..<6).map { event("s\($0)", kayes, daysBefore: 3) })
        XCTAssertEqual(same.regions.first?.recentEvents, 6)
        // As-of before the first event: nothing in either window.
        var p = ChangeDetectionParameters()
        p.asOf = CivilDate(year: 2020, month: 1, day: 1)
        let early = try ChangeDetector.run(incidents: steadyCentre(), area: try AreaOfInterest.embeddedMali(), parameters: p)
        XCTAssertTrue(early.regions.isEmpty)
        XCTAssertTrue(early.notes.contains { $0.contains("before the first event") }, "\(early.notes)")
        // Windows longer than the data: a note says the baseline is short.
        let short = try run(burstNearKayes(2))
        XCTAssertTrue(short.notes.contains { $0.contains("baseline covers fewer days") }, "\(short.notes)")
        // Every number written is finite.
        for result in [single, same, early, short] {
            let text = FlaggedRegionExport.featureCollection(result, inputs: []).serialized()
            // Non-finite numbers would be written as null: only the two dates may be null.
            let back = try GeoJSONFeatureCollection(json: JSONValue.parse(Data(text.utf8)))
            for f in back.features {
                for (key, value) in f.properties.objectValue ?? [] where value == .null {
                    XCTAssertTrue(["first_recent_event", "last_event"].contains(key), "\(key) is null")
                }
            }
            for r in result.regions {
                for v in [r.score, r.pValue, r.qValue, r.peakDensity, r.areaKm2] { XCTAssertTrue(v.isFinite) }
            }
        }
    }
}
