import Foundation
import XCTest
@testable import RegionRiskData


final class ACLEDFileGeneratorTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testSameParametersGiveIdenticalBytes() throws {
        let a = dir.appendingPathComponent("a.csv"), b = dir.appendingPathComponent("b.csv"), c = dir.appendingPathComponent("c.csv")
        try ACLEDFileGenerator(rows: 2000, seed: 7).write(to: a)
        try ACLEDFileGenerator(rows: 2000, seed: 7).write(to: b)
        try ACLEDFileGenerator(rows: 2000, seed: 8).write(to: c)
        XCTAssertEqual(try Data(contentsOf: a), try Data(contentsOf: b))
        XCTAssertNotEqual(try Data(contentsOf: a), try Data(contentsOf: c))
    }

    func testGeneratedFilesReadCleanlyInBothLayouts() throws {
        for layout in ACLEDFileGenerator.Layout.allCases {
            let url = dir.appendingPathComponent("\(layout).csv")
            let generator = ACLEDFileGenerator(rows: 3000, seed: 1, layout: layout, repeatedActorShare: 0.1)
            try generator.write(to: url)
            let r = try IncidentFileReader().read(url)
            XCTAssertEqual(r.format, .acled)
            XCTAssertEqual(r.rowsRead, 3000)
            XCTAssertEqual(r.rejected, [], "\(layout)")
            XCTAssertEqual(r.incidents.count + r.duplicatesSkipped, 3000)
            XCTAssertGreaterThan(r.duplicatesSkipped, 200, "about 10% of events are repeated per actor")
            XCTAssertEqual(Set(r.incidents.map(\.sourceEventID)).count, r.incidents.count)
            XCTAssertTrue(r.incidents.allSatisfy { (-12.3...4.3).contains($0.location.lon) && (10.1...25.0).contains($0.location.lat) })
            let first = generator.firstDate, last = generator.firstDate.adding(days: generator.days - 1)
            XCTAssertTrue(r.incidents.allSatisfy { $0.date! >= first && $0.date! <= last })
        }
    }
}
