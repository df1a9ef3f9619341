import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskData

final class IncidentPlaceNamingTests: XCTestCase {
    func incident(_ place: String?, _ lon: Double, _ lat: Double, fatalities: Double? = nil) -> Incident {
        Incident(source: "test", sourceEventID: place ?? "none", date: CivilDate(year: 2025, month: 7, day: 1),
                 location: LonLat(lon: lon, lat: lat), place: place, fatalities: fatalities)
    }

    func testIncidentsAreNamedByTheirReportedPlaceCheckedAgainstTheGazetteer() throws {
        let namer = try GazetteerRegionNamer.embeddedMali()
        let g = namer.gazetteer, notable = namer.notablePlaces
        // Geocoded: the reported name, read as the geocoder reads it, is a gazetteer place near the incident.
        XCTAssertEqual(IncidentPlaceNaming.name(of: incident("Dioura (military camp)", -5.2547, 14.8252), gazetteer: g, notable: notable),
                       IncidentPlaceName(name: "Dioura", basis: .geocoded))
        XCTAssertEqual(IncidentPlaceNaming.name(of: incident("Nioro du Sahel", -9.59277, 15.22932), gazetteer: g, notable: notable)?.name,
                       "Nioro du Sahel")
        // A name that is not a gazetteer place near the incident stays as reported, without its descriptions;
        // the cercle it is in does not name it (the complete gazetteer knows Karaga, so the factory is the example).
        XCTAssertEqual(IncidentPlaceNaming.name(of: incident("Diamond Cement factory (cercle de Bafoulabé)", -10.8041, 14.0858),
                                                gazetteer: g, notable: notable)?.basis, .asReported)
        // The same name far from the incident is not trusted as a geocode.
        XCTAssertEqual(IncidentPlaceNaming.name(of: incident("Dioura", -11.44, 14.45), gazetteer: g, notable: notable)?.basis, .asReported)
    }

    func testAnIncidentWithoutAPlaceIsNamedRelativeToTheNearestNotablePlace() throws {
        let namer = try GazetteerRegionNamer.embeddedMali()
        let gogui = try XCTUnwrap(namer.gazetteer?.places.first { $0.name == "Gogui" })
        // 40 km to the south-east of Gogui (flat-earth offset, well within 1 km at this distance).
        let d = 40 / 2.0.squareRoot()
        let lat = gogui.location.lat - d / 111.2
        let lon = gogui.location.lon + d / (111.32 * cos(gogui.location.lat * .pi / 180))
        let e = incident(nil, lon, lat)
        let nearest = try XCTUnwrap(namer.notablePlaces.min {
            GreatCircle.distanceKm(e.location, $0.location) < GreatCircle.distanceKm(e.location, $1.location)
        })
        XCTAssertEqual(nearest.name, "Gogui", "the nearest notable place to the test point")
        XCTAssertEqual(namer.incidentPlaceNames([e], limit: 4), ["40 km SE of Gogui"])
        // Regions list the most often named place first.
        let names = namer.incidentPlaceNames([incident("Diboli", -12.19945, 14.45511), incident("Kayes", -11.44448, 14.44693),
                                              incident("Kayes", -11.44448, 14.44693)], limit: 4)
        XCTAssertEqual(names, ["Kayes", "Diboli"])
    }

    func testCompassPoints() {
        let o = LonLat(lon: 0, lat: 0)
        XCTAssertEqual(IncidentPlaceNaming.compassPoint(from: o, to: LonLat(lon: 0, lat: 1)), "N")
        XCTAssertEqual(IncidentPlaceNaming.compassPoint(from: o, to: LonLat(lon: 1, lat: -1)), "SE")
        XCTAssertEqual(IncidentPlaceNaming.compassPoint(from: o, to: LonLat(lon: -1, lat: 0)), "W")
        XCTAssertEqual(IncidentPlaceNaming.compassPoint(from: o, to: LonLat(lon: -1, lat: 1)), "NW")
    }
}
