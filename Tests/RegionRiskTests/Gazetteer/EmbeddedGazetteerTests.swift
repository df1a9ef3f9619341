import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData

/// The embedded Mali default and the table of places from the July 2025 reporting.
final class EmbeddedGazetteerTests: XCTestCase {
    /// Query as reported → GeoNames id, lat, lon, admin-1 (the table; GeoNames facts).
    static let table: [(query: String, id: Int, lat: Double, lon: Double, admin1: String)] = [
        ("Kayes", 2455518, 14.44693, -11.44448, "Kayes"),
        ("Nioro du Sahel", 2452651, 15.22932, -9.59277, "Kayes"),
        ("Niono", 2452655, 14.25054, -5.98679, "Ségou"),
        ("Molodo", 2453383, 14.23719, -6.02269, "Ségou"),
        ("Sandare", 2451711, 14.7038, -10.3057, "Kayes"),
        ("Gogui", 2457077, 15.68592, -9.32967, "Kayes"),
        ("Diboli", 2458925, 14.45511, -12.19945, "Kayes"),
        ("Dioura", 2458636, 14.8252, -5.2547, "Mopti"),
        ("Diallassago", 2459040, 13.7377, -3.6265, "Mopti"),
        ("Dianweli", 6874959, 13.7203, -3.6142, "Mopti"),
        ("Bamako", 2460596, 12.65, -8.0, "Bamako"),
    ]

    func testContentsAndSources() throws {
        let g = try Gazetteer.embeddedMali()
        // Every populated place of the GeoNames dump and the camps, wells and areas reports name.
        XCTAssertEqual(g.places.count, 18_146)
        XCTAssertEqual(g.places.filter(\.isPopulatedPlace).count, 15_448)
        XCTAssertEqual(g.sources, [Gazetteer.embeddedSource])
        XCTAssertTrue(g.places.allSatisfy { $0.countryCode == "ML" })
        XCTAssertEqual(Set(g.places.map(\.geonameID)).count, g.places.count)
        // Admin-1 from the point: all but the 11 places GeoNames puts far outside Mali.
        XCTAssertEqual(g.places.filter { $0.admin1Name == nil }.count, 11)
        XCTAssertEqual(g.places.filter { $0.admin2Name == nil }.count, 11)
        // Ménaka (GeoNames' newer region) lies in the 2015 Gao region, Ménaka cercle; the
        // GeoNames code is kept, so a "Ménaka" hint still matches it.
        let menaka = try XCTUnwrap(g.place(geonameID: 2453514))
        XCTAssertEqual(menaka.admin1Name, "Gao")
        XCTAssertEqual(menaka.admin2Name, "Menaka")
        XCTAssertEqual(menaka.sourceAdmin1Code, "12070577")
        XCTAssertEqual(g.place(geonameID: 2450173)?.admin1Name, "Tombouctou")
        XCTAssertEqual(g.place(geonameID: 2450173)?.sourceAdmin1Code, "12070575")
        XCTAssertEqual(g.place(geonameID: 2459040)?.admin2Name, "Bankass", "Diallassagou")
    }

    /// The table's rows resolve as before; Dioura and Dianwéli have namesakes elsewhere in the
    /// complete gazetteer, so as reported (with their region) rather than bare.
    func testEveryTableRowResolvesWithinOneKilometre() throws {
        let g = try Gazetteer.embeddedMali()
        for row in Self.table {
            let hinted = row.query == "Dioura" || row.query == "Dianweli"
            let r = try g.geocode(row.query, admin1Hint: hinted ? row.admin1 : nil)
            let best = try XCTUnwrap(r.best, row.query)
            XCTAssertEqual(best.place.geonameID, row.id, row.query)
            XCTAssertLessThanOrEqual(referenceDistanceKm(best.place.location, LonLat(lon: row.lon, lat: row.lat)), 1, row.query)
            XCTAssertEqual(best.place.admin1Name, row.admin1, row.query)
        }
    }

    func testEnglishAndFrenchForms() throws {
        let g = try Gazetteer.embeddedMali()
        XCTAssertEqual(try g.geocode("Tombouctou").best?.place.geonameID, 2449067)
        XCTAssertEqual(try g.geocode("Timbuktu").best?.place.geonameID, 2449067)
        XCTAssertEqual(try g.geocode("SEGOU").best?.place.geonameID, 2451478)
        XCTAssertEqual(try g.geocode("Molodo-Centre").best?.place.geonameID, 2453383)
    }

    func testNearbyPlacesMatchBruteForce() throws {
        let g = try Gazetteer.embeddedMali()
        let center = LonLat(lon: -8.0, lat: 12.65)
        let reference = g.places.filter(\.isPopulatedPlace)
            .map { ($0, referenceDistanceKm(center, $0.location)) }
            .filter { $0.1 <= 100 }
            .sorted { $0.1 < $1.1 }
        let found = g.places(near: center, withinKm: 100, limit: 50)
        XCTAssertEqual(found.map(\.geonameID), reference.prefix(50).map(\.0.geonameID))
        XCTAssertGreaterThan(found.count, 5, "Bamako's suburbs")
        let byPopulation = g.places(near: center, withinKm: 100, limit: 3, ordering: .population)
        XCTAssertEqual(byPopulation.map(\.geonameID),
                       reference.map(\.0).sorted { $0.population > $1.population }.prefix(3).map(\.geonameID))
        XCTAssertEqual(g.places(near: center, withinKm: 100, limit: 2).count, 2)

        let nearest = g.nearestPlaces(to: LonLat(lon: -5.2547, lat: 14.8252), limit: 3, minPopulation: 50_000)
        let expected = g.places.filter { $0.isPopulatedPlace && $0.population >= 50_000 }
            .sorted { referenceDistanceKm($0.location, LonLat(lon: -5.2547, lat: 14.8252)) < referenceDistanceKm($1.location, LonLat(lon: -5.2547, lat: 14.8252)) }
            .prefix(3).map(\.geonameID)
        XCTAssertEqual(nearest.map(\.geonameID), Array(expected))
        XCTAssertTrue(nearest.allSatisfy { $0.population >= 50_000 })
        XCTAssertEqual(g.nearestPlaces(to: center, limit: 0).count, 0)
    }

    /// The pruned nearest-places search returns exactly what sorting every place by (distance,
    /// geonameid) returns, inside the area, outside it and at its edges.
    func testNearestPlacesEqualsSortingThemAll() throws {
        let g = try Gazetteer.embeddedMali()
        var rng = SplitMix64(seed: 11)
        for _ in 0..<40 {
            let point = LonLat(lon: -14 + 20 * rng.nextDouble(), lat: 8 + 20 * rng.nextDouble())
            for (limit, minPopulation) in [(1, 0), (7, 0), (50, 0), (5, 10_000)] {
                let all = g.places.filter { $0.isPopulatedPlace && $0.population >= minPopulation }
                    .map { (place: $0, km: GreatCircle.distanceKm(point, $0.location)) }
                    .sorted { ($0.km, $0.place.geonameID) < ($1.km, $1.place.geonameID) }
                XCTAssertEqual(g.nearestPlaces(to: point, limit: limit, minPopulation: minPopulation).map(\.geonameID),
                               all.prefix(limit).map(\.place.geonameID), "\(point), limit \(limit)")
            }
        }
    }

    func testMergingReplacesPlacesWithTheSameID() throws {
        let embedded = try Gazetteer.embeddedMali()
        var kayes = try XCTUnwrap(embedded.place(geonameID: 2455518))
        kayes.featureCode = "PPLA"
        kayes.source = "test"
        let extra = Gazetteer(places: [kayes, Place(
            geonameID: 1, name: "Testkoro", asciiName: "Testkoro", location: LonLat(lon: -4, lat: 14),
            featureClass: "P", featureCode: "PPL", countryCode: "ML", admin1Code: "04", admin1Name: "Mopti", source: "test")])
        let merged = embedded.adding(extra)
        XCTAssertEqual(merged.places.count, embedded.places.count + 1)
        XCTAssertEqual(merged.place(geonameID: 2455518)?.source, "test")
        XCTAssertEqual(try merged.geocode("Testkoro").best?.place.geonameID, 1)
        XCTAssertEqual(try merged.geocode("Kayes").best?.place.featureCode, "PPLA")
        XCTAssertEqual(embedded.places.count, 18_146, "the original is unchanged")
    }
}
