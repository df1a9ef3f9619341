import Foundation
import GRDB
import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskReport
@testable import RegionRiskGeoJSON


final class IncidentStoreTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func fixture(_ name: String) -> URL { Fixtures.url("events/in/\(name)") }
    private func newStore(_ name: String = "db/incidents.sqlite", busyTimeout: TimeInterval = 60) throws -> IncidentStore {
        try IncidentStore(path: dir.appendingPathComponent(name).path, busyTimeout: busyTimeout)
    }

    /// Every incident row, as text, in key order: equal dumps mean equal stored events.
    private func dump(_ store: IncidentStore) throws -> [String] {
        try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM incident ORDER BY source, source_event_id").map { $0.description }
        }
    }

    func testCreatesFoldersWALSchemaAndIndexes() throws {
        let store = try newStore("a/b/c/incidents.sqlite")
        XCTAssertTrue(FileManager.default.fileExists(atPath: store.path))
        try store.database.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
            XCTAssertEqual(try IncidentStore.migrator.appliedIdentifiers(db), ["v1", "v2", "v3", "v4"])
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incident'")
            XCTAssertTrue(indexes.contains("incident_by_day"))
            XCTAssertFalse(indexes.contains("incident_by_lat"), "dropped in v4")
        }
        XCTAssertEqual(try store.count(), 0)
    }

    func testDefaultPathFollowsEnvironment() {
        XCTAssertEqual(IncidentStore.defaultPath(environment: ["REGIONRISK_DB": "/x/db.sqlite", "XDG_DATA_HOME": "/d", "HOME": "/h"]), "/x/db.sqlite")
        XCTAssertEqual(IncidentStore.defaultPath(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]), "/d/regionrisk/incidents.sqlite")
        XCTAssertEqual(IncidentStore.defaultPath(environment: ["XDG_DATA_HOME": "relative", "HOME": "/h"]), "/h/.local/share/regionrisk/incidents.sqlite")
        XCTAssertEqual(IncidentStore.defaultPath(environment: ["HOME": "/h"]), "/h/.local/share/regionrisk/incidents.sqlite")
    }

    func testMissingDatabaseIsNotCreatedWhenAskedNotTo() {
        let path = dir.appendingPathComponent("none.sqlite").path
        XCTAssertThrowsError(try IncidentStore(path: path, create: false)) {
            XCTAssertTrue($0.localizedDescription.contains("regionrisk ingest"), $0.localizedDescription)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testAFileThatIsNotADatabaseIsRefused() throws {
        let path = dir.appendingPathComponent("events.csv")
        try Data(contentsOf: fixture("acled-classic.csv")).write(to: path)
        XCTAssertThrowsError(try IncidentStore(path: path.path)) {
            XCTAssertTrue($0.localizedDescription.contains("not a RegionRisk incident database"), $0.localizedDescription)
        }
    }

    func testIngestStoresWhatTheReaderReads() throws {
        let store = try newStore()
        let s = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        XCTAssertEqual(s.format, .acled)
        XCTAssertEqual(s.source, "acled")
        XCTAssertEqual(s.rowsRead, 5)
        XCTAssertEqual([s.added, s.updated, s.unchanged, s.skipped, s.rejected.count, s.outsideArea.count], [4, 0, 0, 1, 0, 0])
        let read = try IncidentFileReader().read(fixture("acled-classic.csv"))
        XCTAssertEqual(Set(try store.query()), Set(read.incidents))
        XCTAssertEqual(try store.query().map(\.sourceEventID), ["MLI9001", "MLI9002", "MLI9003", "MLI9004"], "ordered by day")
    }

    func testProvenanceNamesFileHashLineAndTime() throws {
        let store = try newStore()
        let s = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        XCTAssertEqual(s.sha256, try FileFingerprint.sha256Hex(of: fixture("acled-classic.csv")))
        var seen: [String: IncidentProvenance] = [:]
        try store.forEach { seen[$0.incident.sourceEventID] = $0.provenance }
        XCTAssertEqual(seen["MLI9003"]?.line, 5)
        XCTAssertEqual(seen["MLI9004"]?.line, 7)
        XCTAssertEqual(seen["MLI9001"]?.fileName, "acled-classic.csv")
        XCTAssertEqual(seen["MLI9001"]?.sha256, s.sha256)
        XCTAssertEqual(seen["MLI9001"]?.ingestedAt, s.ingestedAt)
        XCTAssertNotNil(ISO8601DateFormatter().date(from: s.ingestedAt))
        let runs = try store.ingestRuns()
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0].added, 4)
        XCTAssertEqual(runs[0].skipped, 1)
        XCTAssertEqual(runs[0].sha256, s.sha256)
    }

    func testIngestingTheSameFileTwiceChangesNothing() throws {
        let store = try newStore()
        _ = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        let before = try dump(store)
        let again = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        XCTAssertEqual([again.added, again.updated, again.unchanged, again.skipped], [0, 0, 4, 1])
        XCTAssertEqual(try dump(store), before)
        XCTAssertEqual(try store.count(), 4)
    }

    func testAnEditedEventIsUpdatedAndCountedSo() throws {
        let store = try newStore()
        _ = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        var text = try String(contentsOf: fixture("acled-classic.csv"), encoding: .utf8)
        // MLI9002's fatalities revised from 10 to 12 in a later export.
        text = text.replacingOccurrences(of: "were killed, several wounded.\",10,", with: "were killed, several wounded.\",12,")
        let edited = dir.appendingPathComponent("acled-classic-v2.csv")
        try text.write(to: edited, atomically: true, encoding: .utf8)
        let s = try store.ingest(file: edited, reader: IncidentFileReader())
        XCTAssertEqual([s.added, s.updated, s.unchanged], [0, 1, 3])
        var stored: [String: StoredIncident] = [:]
        try store.forEach { stored[$0.incident.sourceEventID] = $0 }
        XCTAssertEqual(stored["MLI9002"]?.incident.fatalities, 12)
        XCTAssertEqual(stored["MLI9002"]?.provenance.fileName, "acled-classic-v2.csv", "provenance follows the edit")
        XCTAssertEqual(stored["MLI9001"]?.provenance.fileName, "acled-classic.csv", "unchanged events keep theirs")
    }

    func testDeletionsRemoveListedIds() throws {
        let store = try newStore()
        _ = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        let s1 = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader(), deletions: fixture("deletions.csv"))
        XCTAssertEqual(s1.deleted, 1)
        XCTAssertEqual(s1.deletionsNotFound, 0)
        XCTAssertEqual(try store.query().map(\.sourceEventID), ["MLI9001", "MLI9003", "MLI9004"])
        let s2 = try store.ingest(file: fixture("acled-current.csv"), reader: IncidentFileReader(), deletions: fixture("deletions-plain.txt"))
        XCTAssertEqual(s2.added, 3)
        XCTAssertEqual(s2.deleted, 1, "MLI9003; MLI9002 is already gone")
        XCTAssertEqual(s2.deletionsNotFound, 2)
        XCTAssertEqual(try store.query().map(\.sourceEventID), ["MLI9001", "MLI9004", "MLI7001", "MLI7002", "MLI7003"])
    }

    func testEventsOutsideTheAreaAreListedNotStored() throws {
        let store = try newStore()
        let s = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader(), areaFilter: { $0.lat >= 15 })
        XCTAssertEqual(s.outsideArea.map(\.sourceEventID), ["MLI9001", "MLI9002", "MLI9003"])
        XCTAssertEqual(s.outsideArea.map(\.line), [2, 4, 5])
        XCTAssertEqual(s.added, 1)
        XCTAssertEqual(try store.query().map(\.sourceEventID), ["MLI9004"])
        XCTAssertEqual(s.rejectsFileRows.count, 3)
        XCTAssertTrue(s.rejectsFileRows[0].reason.hasPrefix("outside the area of interest: MLI9001"))
    }

    func testBadRowsAreCountedAndGoodOnesStored() throws {
        let store = try newStore()
        let s = try store.ingest(file: fixture("bad-rows.csv"), reader: IncidentFileReader())
        XCTAssertEqual(s.added, 2)
        XCTAssertEqual(s.rejected.count, 15)
        XCTAssertEqual(try store.count(), 2)
    }

    func testStrictModeRollsBackOnAnyRejectedRow() throws {
        let store = try newStore()
        _ = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        let before = try dump(store)
        XCTAssertThrowsError(try store.ingest(file: fixture("bad-rows.csv"), reader: IncidentFileReader(), strict: true)) {
            guard case let IngestError.rejectedRowsInStrictMode(s)? = $0 as? IngestError else { return XCTFail("\($0)") }
            XCTAssertEqual(s.rejected.count, 15)
            XCTAssertNil(s.runID)
            XCTAssertTrue($0.localizedDescription.contains("bad-rows.csv:3: latitude"), $0.localizedDescription)
        }
        XCTAssertEqual(try dump(store), before)
        XCTAssertEqual(try store.ingestRuns().count, 1, "the failed run left no trace")
    }

    /// Loading into an empty store drops and rebuilds the secondary indexes inside the
    /// transaction; a rolled-back load must leave them in place, and a finished one rebuilt.
    func testBulkLoadKeepsIndexesWhetherItCommitsOrNot() throws {
        let store = try newStore()
        func indexes() throws -> Set<String> {
            try store.database.read { Set(try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'incident_by_%'")) }
        }
        XCTAssertEqual(try indexes(), ["incident_by_day"])
        XCTAssertThrowsError(try store.ingest(file: fixture("bad-rows.csv"), reader: IncidentFileReader(), strict: true))
        XCTAssertEqual(try indexes(), ["incident_by_day"])
        _ = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        XCTAssertEqual(try indexes(), ["incident_by_day"])
        let plan = try store.database.read {
            try Row.fetchAll($0, sql: "EXPLAIN QUERY PLAN SELECT id FROM incident WHERE event_day BETWEEN 1 AND 2").map { $0["detail"] as String }
        }
        XCTAssertTrue(plan.joined().contains("incident_by_day"), "\(plan)")
    }

    /// A store from before migration v4 loses its latitude index when opened for writing, and
    /// a bounding box without dates is answered through the day index, not the table.
    func testOlderStoresLoseTheLatitudeIndexAndBoxesScanTheDayIndex() throws {
        let path = dir.appendingPathComponent("v3.sqlite").path
        try IncidentStore.migrator.migrate(try DatabaseQueue(path: path), upTo: "v3")
        func indexes() throws -> Set<String> {
            try DatabaseQueue(path: path).read { Set(try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'incident_by_%'")) }
        }
        XCTAssertEqual(try indexes(), ["incident_by_day", "incident_by_lat"])
        let store = try IncidentStore(path: path)
        XCTAssertEqual(try indexes(), ["incident_by_day"])
        let q = IncidentQuery(bbox: .init(west: -5, south: 13, east: -3, north: 15))
        let (whereSQL, arguments) = IncidentStore.filter(q)
        let sql = "EXPLAIN QUERY PLAN SELECT i.id FROM incident i \(IncidentStore.indexHint(q)) \(whereSQL)"
        let plan = try store.database.read { try Row.fetchAll($0, sql: sql, arguments: arguments).map { $0["detail"] as String } }
        XCTAssertTrue(plan.joined().contains("USING COVERING INDEX incident_by_day"), "\(plan)")
    }

    func testUnreadableFileLeavesTheStoreAsItWas() throws {
        let store = try newStore()
        _ = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        let before = try dump(store)
        // U-1 is read and stored before the unclosed quote is found: the rollback must undo it.
        XCTAssertThrowsError(try store.ingest(file: fixture("unbalanced-quotes.csv"), reader: IncidentFileReader())) {
            XCTAssertTrue($0 is CSVError, "\($0)")
        }
        XCTAssertThrowsError(try store.ingest(file: fixture("empty.csv"), reader: IncidentFileReader()))
        XCTAssertEqual(try dump(store), before)
        XCTAssertEqual(try store.ingestRuns().count, 1)
    }

    func testGeocodedEventsKeepTheirMatch() throws {
        let store = try newStore()
        let s = try store.ingest(file: fixture("news-places.csv"), reader: IncidentFileReader(resolver: TestResolver(), minimumGeocodeConfidence: 0.4))
        XCTAssertEqual(s.added, 3)
        var stored: [String: StoredIncident] = [:]
        try store.forEach { stored[$0.incident.sourceEventID] = $0 }
        XCTAssertEqual(stored["N-1"]?.geocode?.matchedName, "Testville")
        XCTAssertEqual(stored["N-1"]?.geocode?.confidence, 0.93)
        XCTAssertEqual(stored["N-1"]?.geocode?.isAmbiguous, false)
        XCTAssertEqual(stored["N-2"]?.geocode?.isAmbiguous, true)
        XCTAssertEqual(stored["N-2"]?.geocode?.geonameID, 43)
        XCTAssertNil(stored["N-4"]?.geocode)
    }

    /// Queries agree with a brute-force filter over what the reader read.
    func testQueriesMatchBruteForce() throws {
        let file = dir.appendingPathComponent("gen.csv")
        try ACLEDFileGenerator(rows: 4000, seed: 3, firstDate: CivilDate(year: 2024, month: 1, day: 1)!, days: 400).write(to: file)
        let all = try IncidentFileReader().read(file).incidents
        let store = try newStore()
        _ = try store.ingest(file: file, reader: IncidentFileReader())
        let d = { (m: Int, day: Int) in CivilDate(year: 2024, month: m, day: day)! }
        let queries: [IncidentQuery] = [
            IncidentQuery(),
            IncidentQuery(since: d(3, 1), until: d(3, 31)),
            IncidentQuery(since: d(12, 1)),
            IncidentQuery(until: d(1, 1)),
            IncidentQuery(bbox: .init(west: -5, south: 13, east: -3, north: 15)),
            IncidentQuery(since: d(6, 1), until: d(8, 31), bbox: .init(west: -1, south: 15, east: 1, north: 17)),
            IncidentQuery(admin1: "mopti"),
            IncidentQuery(eventType: "BATTLES", coarsestPrecision: .near),
            IncidentQuery(bbox: .init(west: 2, south: 10, east: -11, north: 25)),  // crosses the antimeridian
        ]
        for q in queries {
            let expected = all.filter { i in
                if let s = q.since, i.date! < s { return false }
                if let u = q.until, i.date! > u { return false }
                if let b = q.bbox, !b.contains(i.location) { return false }
                if let a = q.admin1, i.admin1?.lowercased() != a.lowercased() { return false }
                if let t = q.eventType, i.eventType?.lowercased() != t.lowercased() { return false }
                if let p = q.coarsestPrecision, i.locationPrecision > p { return false }
                return true
            }
            let got = try store.query(q)
            XCTAssertEqual(Set(got), Set(expected), "\(q)")
            XCTAssertEqual(got.count, expected.count)
            XCTAssertEqual(try store.count(q), expected.count)
            XCTAssertEqual(got.map(\.date), got.map(\.date).sorted { $0! < $1! }, "ordered by day")
        }
        _ = try store.ingest(file: fixture("latin1.csv"), reader: IncidentFileReader())
        XCTAssertEqual(try store.query(IncidentQuery(admin1: "SÉGOU")).map(\.sourceEventID), ["L1"], "case folds beyond ASCII")
        XCTAssertNotNil(IncidentQuery.BoundingBox(parsing: "-12.3, 10.1, 4.3, 25"))
        XCTAssertNil(IncidentQuery.BoundingBox(parsing: "-12.3,10.1,4.3"))
        XCTAssertNil(IncidentQuery.BoundingBox(parsing: "0,91,1,92"))
    }

    func testCSVExportReadsBackAsTheSameEvents() throws {
        let store = try newStore()
        _ = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        _ = try store.ingest(file: fixture("news-places.csv"), reader: IncidentFileReader(resolver: TestResolver()))
        var text = ""
        let n = try store.export(IncidentQuery(), format: .csv) { text += $0 }
        XCTAssertEqual(n, 6)
        let out = dir.appendingPathComponent("export.csv")
        try text.write(to: out, atomically: true, encoding: .utf8)
        let back = try IncidentFileReader().read(out)
        XCTAssertEqual(back.rejected, [])
        let stored = try store.query()
        XCTAssertEqual(back.incidents.count, stored.count)
        for (a, b) in zip(back.incidents, stored) {
            var a = a
            a.source = b.source  // plain CSV reads as "csv"
            XCTAssertEqual(a, b)
        }
        XCTAssertTrue(text.contains(",Testville,42,0.93,false,news-places.csv,"), text)
    }

    func testGeoJSONExportIsAFeatureCollectionOfTheEvents() throws {
        let store = try newStore()
        _ = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        var text = ""
        try store.export(IncidentQuery(since: CivilDate(year: 2024, month: 7, day: 1)), format: .geojson) { text += $0 }
        let url = dir.appendingPathComponent("e.geojson")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let fc = try GeoJSONFeatureCollection(contentsOf: url)
        XCTAssertEqual(fc.features.map { $0.properties["event_id"]?.stringValue }, ["MLI9002", "MLI9003", "MLI9004"])
        XCTAssertEqual(fc.features[0].geometry, .point(LonLat(lon: -5.993, lat: 14.252)))
        XCTAssertEqual(fc.features[0].id, .string("acled:MLI9002"))
        XCTAssertEqual(text.components(separatedBy: "\n").filter { $0.hasPrefix("{\"type\":\"Feature\"") }.count, 3, "one feature per line")
        let back = try IncidentFileReader().read(url)
        XCTAssertEqual(back.incidents.map(\.fatalities), [10, 0, 6])
        var empty = ""
        try store.export(IncidentQuery(since: CivilDate(year: 2030, month: 1, day: 1)), format: .geojson) { empty += $0 }
        XCTAssertEqual(try GeoJSONFeatureCollection(json: JSONValue.parse(Data(empty.utf8))).features.count, 0)
    }

    func testABusyDatabaseFailsClearlyAfterTheTimeout() throws {
        let store = try newStore(busyTimeout: 0.3)
        // Another connection holds the write lock, as a concurrent ingest would.
        let other = try DatabaseQueue(path: store.path)
        try other.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            XCTAssertThrowsError(try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())) {
                let e = $0 as? IncidentStoreError
                XCTAssertEqual(e?.isBusy, true, "\($0)")
                XCTAssertTrue($0.localizedDescription.contains("locked"), $0.localizedDescription)
                XCTAssertTrue($0.localizedDescription.contains(store.path), $0.localizedDescription)
            }
            try db.execute(sql: "ROLLBACK")
        }
        XCTAssertEqual(try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader()).added, 4)
    }

    /// Two ingests started together on one database: one waits for the other; both land.
    func testConcurrentIngestsBothLand() throws {
        let a = dir.appendingPathComponent("a.csv"), b = dir.appendingPathComponent("b.csv")
        try ACLEDFileGenerator(rows: 3000, seed: 1, firstEventNumber: 1).write(to: a)
        try ACLEDFileGenerator(rows: 3000, seed: 2, firstEventNumber: 100_001).write(to: b)
        let path = dir.appendingPathComponent("shared.sqlite").path
        _ = try IncidentStore(path: path)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            do {
                let store = try IncidentStore(path: path)
                let s = try store.ingest(file: k == 0 ? a : b, reader: IncidentFileReader())
                results.set(k, .success(s.added))
            } catch {
                results.set(k, .failure(error))
            }
        }
        XCTAssertEqual(try results.get(0).get(), 3000)
        XCTAssertEqual(try results.get(1).get(), 3000)
        let store = try IncidentStore(path: path)
        XCTAssertEqual(try store.count(), 6000)
        XCTAssertEqual(try store.database.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }, "ok")
    }

    func testADatabaseFromANewerVersionIsRefused() throws {
        let store = try newStore()
        try store.database.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99')") }
        XCTAssertThrowsError(try IncidentStore(path: store.path)) {
            XCTAssertTrue($0.localizedDescription.contains("newer"), $0.localizedDescription)
        }
    }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: Result<Int, Error>] = [:]
    func set(_ k: Int, _ v: Result<Int, Error>) { lock.withLock { values[k] = v } }
    func get(_ k: Int) -> Result<Int, Error> { lock.withLock { values[k]! } }
}
