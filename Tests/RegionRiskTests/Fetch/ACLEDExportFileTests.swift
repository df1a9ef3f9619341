import Foundation
import XCTest
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
@testable import RegionRiskFetch

final class ACLEDExportFileTests: XCTestCase {
    /// A path in the temporary folder, removed when the test ends.
    private func scratch(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("acled-\(UUID().uuidString)-\(name)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// API rows (strings, as ACLED sends them; a number and a null too) read back through the
    /// ACLED CSV reader as the same events.
    func testAPIRowsReadBackAsTheACLEDExportTheyStandFor() throws {
        let rows: [JSONValue] = [
            ["event_id_cnty": "MLI1", "event_date": "2025-06-11", "country": "Mali", "admin1": "Kayes", "location": "Kayes",
             "latitude": "14.4469", "longitude": "-11.4456", "geo_precision": "1", "event_type": "Battles",
             "actor1": "JNIM", "fatalities": "3", "notes": "A clash, \"reported\",\nnear Kayes.", "timestamp": "1750000001"],
            ["event_id_cnty": "MLI2", "event_date": "2025-06-12", "country": "Mali", "admin1": "Mopti", "location": "Mopti",
             "latitude": .number(14.4843), "longitude": .number(-4.1827), "geo_precision": "2", "event_type": "Riots",
             "actor1": .null, "fatalities": .number(0), "notes": "", "timestamp": .number(1_750_000_002), "extra_field": "x"],
        ]
        let url = scratch("a.csv")
        try ACLEDExportFile.writeEvents(rows, to: url)
        let header = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")[0]
        XCTAssertTrue(header.hasPrefix("event_id_cnty,event_date,event_type,actor1,country,admin1,location,latitude,longitude,geo_precision,notes,fatalities,timestamp"), String(header))
        XCTAssertTrue(header.hasSuffix(",extra_field"))
        let read = try IncidentFileReader(format: .acled).read(url)
        XCTAssertEqual(read.rejected, [])
        XCTAssertEqual(read.incidents.map(\.sourceEventID), ["MLI1", "MLI2"])
        XCTAssertEqual(read.incidents[0].location, LonLat(lon: -11.4456, lat: 14.4469))
        XCTAssertEqual(read.incidents[1].location, LonLat(lon: -4.1827, lat: 14.4843))
        XCTAssertEqual(read.incidents.map(\.fatalities), [3, 0])
        XCTAssertEqual(read.incidents[0].date, CivilDate(year: 2025, month: 6, day: 11))
        XCTAssertEqual(read.incidents[0].admin1, "Kayes")
    }

    func testDeletionsFileIsReadByTheStoresDeletionsReader() throws {
        let url = scratch("deleted.csv")
        try ACLEDExportFile.writeDeletions(["MLI2", "MLI77"], to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "event_id_cnty\nMLI2\nMLI77\n")
    }

    func testTheFileNameCarriesTheLatestTimestampForTheNextFetch() {
        let name = ACLEDExportFile.fileName(country: "Burkina Faso", latestTimestamp: 1_750_000_008)
        XCTAssertEqual(name, "acled-api-burkina-faso-1750000008.csv")
        XCTAssertEqual(ACLEDExportFile.latestTimestamp(inFileName: name, country: "Burkina Faso"), 1_750_000_008)
        XCTAssertNil(ACLEDExportFile.latestTimestamp(inFileName: name, country: "Mali"))
        XCTAssertNil(ACLEDExportFile.latestTimestamp(inFileName: "acled-mali.csv", country: "Mali"))
        XCTAssertNil(ACLEDExportFile.latestTimestamp(inFileName: ACLEDExportFile.fileName(country: "Mali", latestTimestamp: nil), country: "Mali"))
    }

    func testCredentialsFileIsReadOnlyWhenOwnerOnlyAndNeverDescribesThePassword() throws {
        let url = scratch("acled.env")
        try "# account\nexport ACLED_EMAIL=a@example.org\n\nACLED_PASSWORD='p=ss word'\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(url.path, 0o640), 0)
        XCTAssertThrowsError(try ACLEDCredentials.load(from: url)) { error in
            XCTAssertTrue(error.localizedDescription.contains("mode 640"), error.localizedDescription)
        }
        XCTAssertEqual(chmod(url.path, 0o600), 0)
        let c = try ACLEDCredentials.load(from: url)
        XCTAssertEqual(c.email, "a@example.org")
        XCTAssertEqual(c.password, "p=ss word")
        XCTAssertFalse("\(c)".contains("p=ss"))
        XCTAssertThrowsError(try ACLEDCredentials.fromEnvironment(["ACLED_EMAIL": "a@example.org"]))
        XCTAssertEqual(try ACLEDCredentials.fromEnvironment(["ACLED_EMAIL": "e", "ACLED_PASSWORD": "p"]).password, "p")
    }

    func testFormEncodingEscapesEverythingButUnreservedCharacters() {
        XCTAssertEqual(FormEncoding.encode([("username", "a+b@example.org"), ("password", "p&s=w rd/é")]),
                       "username=a%2Bb%40example.org&password=p%26s%3Dw%20rd%2F%C3%A9")
    }
}
