import Foundation
import GRDB
import PostgresNIO
import RegionRiskGeodata
import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskReport
@testable import RegionRiskGeoJSON
@testable import RegionRiskPostgres

/// The store's contract, one body run against each backend: `SQLiteStoreContractTests` and
/// `PostgresStoreContractTests` (a real server from `scripts/pg-cluster.sh`, named by
/// `$REGIONRISK_TEST_PG`). Every check also compares with a SQLite store given the same input.
class StoreContractTests: XCTestCase {
    var dir: URL!
    /// PostgreSQL databases made for this test, dropped in tearDown.
    var databases: [String] = []

    override func setUpWithError() throws {
        if type(of: self) == StoreContractTests.self { throw XCTSkip("the contract runs in its backend subclasses") }
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let dir { try? FileManager.default.removeItem(at: dir) }
        for db in databases { try? PostgresTestCluster.drop(db) }
    }

    /// A new, empty store of the backend under test.
    func makeStore(busyTimeout: TimeInterval = 60) throws -> any IncidentStoring { fatalError("subclass") }

    func makeSQLite() throws -> IncidentStore {
        try IncidentStore(path: dir.appendingPathComponent("\(UUID().uuidString).sqlite").path)
    }

    func fixture(_ name: String) -> URL { Fixtures.url("events/in/\(name)") }
    var sample: URL { try! EmbeddedGeodata.url("samples/incidents-2024-2025.csv") }

    /// The CSV export without the ingest time (which differs between two ingests).
    func exported(_ store: any IncidentStoring, _ q: IncidentQuery = IncidentQuery()) throws -> [String] {
        var text = ""
        try store.export(q, format: .csv) { text += $0 }
        let column = IncidentStore.exportColumns.firstIndex(of: "ingested_at")!
        let url = dir.appendingPathComponent("export-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        var lines: [String] = []
        try CSVReader(url: url).forEachRecord { r in
            lines.append(r.fields.enumerated().filter { $0.offset != column }.map(\.element).joined(separator: "|"))
        }
        return lines
    }

    func summaryCounts(_ s: IngestSummary) -> [Int] {
        [s.rowsRead, s.added, s.updated, s.unchanged, s.skipped, s.rejected.count, s.outsideArea.count, s.deleted]
    }

    func testIngestingTheSampleTwiceChangesNothingTheSecondTime() throws {
        let store = try makeStore()
        let first = try store.ingest(file: sample, reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil)
        XCTAssertEqual(first.added, first.rowsRead - first.rejected.count - first.skipped)
        XCTAssertGreaterThan(first.added, 70)
        let before = try exported(store)
        let second = try store.ingest(file: sample, reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil)
        XCTAssertEqual([second.added, second.updated, second.deleted], [0, 0, 0])
        XCTAssertEqual(second.unchanged, first.added)
        XCTAssertEqual(try exported(store), before)
        XCTAssertEqual(try store.ingestRuns().count, 2)
    }

    func testSourceFieldsAreStoredAndReturned() throws {
        let store = try makeStore()
        _ = try store.ingest(file: sample, reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil)
        let read = try IncidentFileReader().read(sample).incidents
        let stored = try store.query()
        XCTAssertEqual(Set(stored), Set(read), "every field the reader gives comes back, source URL and title included")
        XCTAssertTrue(stored.allSatisfy { $0.sourceURL?.hasPrefix("http") == true }, "the sample gives a source per row")
        let notes = fixture("acled-classic.csv")
        _ = try store.ingest(file: notes, reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil)
        let withNotes = try IncidentFileReader().read(notes).incidents.filter { $0.notes != nil }
        XCTAssertFalse(withNotes.isEmpty, "the ACLED fixture has notes")
        XCTAssertTrue(Set(try store.query(IncidentQuery(source: "acled"))).isSuperset(of: withNotes))
    }

    func testExportsEqualThoseOfSQLite() throws {
        let store = try makeStore(), reference = try makeSQLite()
        for s in [store, reference as any IncidentStoring] {
            for f in ["acled-classic.csv", "news-places.csv", "acled-current.csv", "latin1.csv"] {
                _ = try s.ingest(file: fixture(f), reader: IncidentFileReader(resolver: TestResolver()), areaFilter: nil, deletions: nil, strict: false, progress: nil)
            }
            _ = try s.ingest(file: sample, reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil)
        }
        XCTAssertEqual(try exported(store), try exported(reference))
        var a = "", b = ""
        try store.export(IncidentQuery(since: CivilDate(year: 2025, month: 1, day: 1)), format: .geojson) { a += $0 }
        try reference.export(IncidentQuery(since: CivilDate(year: 2025, month: 1, day: 1)), format: .geojson) { b += $0 }
        let strip = { (t: String) in t.replacingOccurrences(of: #""ingested_at":"[^"]*""#, with: "", options: .regularExpression) }
        XCTAssertEqual(strip(a), strip(b))
    }

    func testRejectsDeletionsAndStrictModeMatchSQLite() throws {
        let store = try makeStore(), reference = try makeSQLite()
        let bad = try store.ingest(file: fixture("bad-rows.csv"), reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil)
        let badRef = try reference.ingest(file: fixture("bad-rows.csv"), reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil)
        XCTAssertFalse(bad.rejected.isEmpty)
        XCTAssertEqual(bad.rejected, badRef.rejected, "same rejects, same messages")
        XCTAssertEqual(summaryCounts(bad), summaryCounts(badRef))
        let before = try exported(store)
        XCTAssertThrowsError(try store.ingest(file: fixture("bad-rows.csv"), reader: IncidentFileReader(source: "other"), areaFilter: nil, deletions: nil, strict: true, progress: nil)) {
            guard case IngestError.rejectedRowsInStrictMode = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try exported(store), before, "strict mode rolled everything back")
        XCTAssertEqual(try store.ingestRuns().count, 1)
        for s in [store, reference as any IncidentStoring] {
            _ = try s.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil)
        }
        let del = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader(), areaFilter: nil, deletions: fixture("deletions.csv"), strict: false, progress: nil)
        let delRef = try reference.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader(), areaFilter: nil, deletions: fixture("deletions.csv"), strict: false, progress: nil)
        XCTAssertGreaterThan(del.deleted, 0)
        XCTAssertEqual([del.deleted, del.deletionsNotFound], [delRef.deleted, delRef.deletionsNotFound])
        XCTAssertEqual(try exported(store), try exported(reference))
        let area = { (p: LonLat) in p.lon < -5 }
        let out = try store.ingest(file: sample, reader: IncidentFileReader(), areaFilter: area, deletions: nil, strict: false, progress: nil)
        let outRef = try reference.ingest(file: sample, reader: IncidentFileReader(), areaFilter: area, deletions: nil, strict: false, progress: nil)
        XCTAssertGreaterThan(out.outsideArea.count, 0)
        XCTAssertEqual(out.outsideArea, outRef.outsideArea)
        XCTAssertEqual(summaryCounts(out), summaryCounts(outRef))
    }

    func testWindowAndBoxQueriesMatchBruteForce() throws {
        let store = try makeStore()
        _ = try store.ingest(file: sample, reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil)
        _ = try store.ingest(file: fixture("latin1.csv"), reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil)
        let all = try store.query()
        let queries = [
            IncidentQuery(since: CivilDate(year: 2025, month: 1, day: 1), until: CivilDate(year: 2025, month: 3, day: 31)),
            IncidentQuery(bbox: .init(west: -9, south: 12, east: -4, north: 15)),
            IncidentQuery(since: CivilDate(year: 2024, month: 6, day: 1), bbox: .init(west: -6, south: 13, east: 4, north: 20)),
            IncidentQuery(bbox: .init(west: 3, south: 10, east: -7, north: 25)),  // across the antimeridian
            IncidentQuery(admin1: "KAYES"),
            IncidentQuery(admin1: "SÉGOU"),
            IncidentQuery(eventType: "BATTLE", coarsestPrecision: .exact),
        ]
        for q in queries {
            let expected = all.filter { Self.matches($0, q) }
            XCTAssertFalse(expected.isEmpty, "\(q)")
            XCTAssertEqual(try store.query(q), expected, "\(q)")
            XCTAssertEqual(try store.count(q), expected.count)
        }
    }

    /// `q` by brute force.
    static func matches(_ i: Incident, _ q: IncidentQuery) -> Bool {
        if let s = q.since, !(i.date.map { $0 >= s } ?? false) { return false }
        if let u = q.until, !(i.date.map { $0 <= u } ?? false) { return false }
        if let b = q.bbox, !b.contains(i.location) { return false }
        if let a = q.admin1, i.admin1?.caseInsensitiveCompare(a) != .orderedSame { return false }
        if let t = q.eventType, i.eventType?.caseInsensitiveCompare(t) != .orderedSame { return false }
        if let p = q.coarsestPrecision, i.locationPrecision.rawValue > p.rawValue { return false }
        return true
    }

    func testRunHistoryIsKept() throws {
        let store = try makeStore()
        XCTAssertTrue(try store.loadHistory().runs.isEmpty)
        let square = GeoJSONGeometry.polygon([[LonLat(lon: 0, lat: 0), LonLat(lon: 1, lat: 0), LonLat(lon: 1, lat: 1), LonLat(lon: 0, lat: 0)]])
        try store.appendHistory(RunHistory.Entry(asOf: "2025-07-01", regions: [("A", "new", square)]))
        try store.appendHistory(RunHistory.Entry(asOf: "2025-07-02", regions: []))
        let runs = try store.loadHistory().runs
        XCTAssertEqual(runs.map(\.asOf), ["2025-07-01", "2025-07-02"])
        XCTAssertEqual(runs[0].regions.map(\.label), ["A"])
    }

    func testCopyBothWaysKeepsEverything() throws {
        let store = try makeStore(), reference = try makeSQLite()
        _ = try reference.ingest(file: sample, reader: IncidentFileReader())
        _ = try reference.ingest(file: fixture("news-places.csv"), reader: IncidentFileReader(resolver: TestResolver()))
        try reference.appendHistory(RunHistory.Entry(asOf: "2025-07-01", regions: []))
        XCTAssertEqual(try IncidentStores.copy(from: reference, to: store), try reference.count())
        let back = try makeSQLite()
        try IncidentStores.copy(from: store, to: back)
        for s in [store, back as any IncidentStoring] {
            XCTAssertEqual(try exported(s), try exported(reference))
            XCTAssertEqual(try s.ingestRuns(), try reference.ingestRuns())
            XCTAssertEqual(try s.loadHistory().runs.map(\.asOf), ["2025-07-01"])
        }
        XCTAssertThrowsError(try IncidentStores.copy(from: reference, to: store)) {
            XCTAssertTrue($0.localizedDescription.contains("empty store"), $0.localizedDescription)
        }
        // A copied store goes on as the original would: the next ingest changes nothing.
        let again = try store.ingest(file: sample, reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil)
        XCTAssertEqual([again.added, again.updated], [0, 0])
    }

    func testConcurrentIngestsEndAsSerialOnes() throws {
        let a = try makeStore(), b = try reopen(a), serial = try makeSQLite()
        let files = ["acled-classic.csv", "acled-current.csv"].map(fixture)
        for f in files { _ = try serial.ingest(file: f, reader: IncidentFileReader()) }
        let group = DispatchGroup()
        let failures = LockedList()
        for (store, file) in zip([a, b], files) {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                do { _ = try store.ingest(file: file, reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: false, progress: nil) } catch {
                    failures.append("\(error)")
                }
            }
        }
        group.wait()
        XCTAssertEqual(failures.items, [])
        XCTAssertEqual(try exported(a).map(Self.withoutProvenance), try exported(serial).map(Self.withoutProvenance))
    }

    /// A stored value out of the valid fatalities range (written by an older version or by hand)
    /// is counted, and read as unknown, alike on every backend.
    func testFatalitiesOutOfRangeAreCountedAndReadAsUnknown() throws {
        let store = try makeStore()
        _ = try store.ingest(file: fixture("acled-classic.csv"), reader: IncidentFileReader())
        XCTAssertEqual(try store.countFatalitiesOutOfRange(), 0)
        let victim = try XCTUnwrap(try store.query().first { $0.fatalities != nil })
        try writeRaw(store, fatalities: 1e23, sourceEventID: victim.sourceEventID)
        XCTAssertEqual(try store.countFatalitiesOutOfRange(), 1)
        let read = try store.query().first { $0.sourceEventID == victim.sourceEventID }
        XCTAssertNotNil(read)
        XCTAssertNil(read?.fatalities)
    }

    /// Sets one event's stored fatalities bypassing the store's checks.
    func writeRaw(_ store: any IncidentStoring, fatalities: Double, sourceEventID: String) throws { fatalError("subclass") }

    /// A second handle on the same store (another connection or pool), as another process has.
    func reopen(_ store: any IncidentStoring) throws -> any IncidentStoring { fatalError("subclass") }

    /// An export line without file name, hash and line (which run wrote an event may differ).
    static func withoutProvenance(_ line: String) -> String {
        line.split(separator: "|", omittingEmptySubsequences: false).prefix(16).joined(separator: "|")
    }
}

final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return list }
}

final class SQLiteStoreContractTests: StoreContractTests {
    override func makeStore(busyTimeout: TimeInterval = 60) throws -> any IncidentStoring {
        try IncidentStore(path: dir.appendingPathComponent("store-\(UUID().uuidString).sqlite").path, busyTimeout: busyTimeout)
    }

    override func reopen(_ store: any IncidentStoring) throws -> any IncidentStoring {
        try IncidentStore(path: (store as! IncidentStore).path)
    }

    override func writeRaw(_ store: any IncidentStoring, fatalities: Double, sourceEventID: String) throws {
        try DatabaseQueue(path: (store as! IncidentStore).path).write {
            try $0.execute(sql: "UPDATE incident SET fatalities = ? WHERE source_event_id = ?", arguments: [fatalities, sourceEventID])
        }
    }

    /// A store written before the source fields (schema v2) gains them at the next ingest.
    func testAStoreFromBeforeTheSourceFieldsIsUpgraded() throws {
        let path = dir.appendingPathComponent("v2.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try IncidentStore.migrator.migrate(queue, upTo: "v2")
        XCTAssertThrowsError(try IncidentStore(path: path, readOnly: true)) {
            XCTAssertTrue($0.localizedDescription.contains("older RegionRisk"), $0.localizedDescription)
        }
        let store = try IncidentStore(path: path)
        _ = try store.ingest(file: sample, reader: IncidentFileReader())
        XCTAssertTrue(try store.query().allSatisfy { $0.sourceURL != nil && $0.sourceTitle != nil })
    }
}

final class PostgresStoreContractTests: StoreContractTests {
    override func setUpWithError() throws {
        try super.setUpWithError()
        guard PostgresTestCluster.url != nil else {
            throw XCTSkip("REGIONRISK_TEST_PG is not set: start a server with `scripts/pg-cluster.sh start` (scripts/test.sh does)")
        }
    }

    override func makeStore(busyTimeout: TimeInterval = 60) throws -> any IncidentStoring {
        let url = try PostgresTestCluster.newDatabase()
        databases.append(url.name)
        return try PostgresIncidentStore(url: url.url, busyTimeout: busyTimeout)
    }

    override func reopen(_ store: any IncidentStoring) throws -> any IncidentStoring {
        let s = store as! PostgresIncidentStore
        let url = try PostgresTestCluster.url(database: s.location.database)
        return try PostgresIncidentStore(url: url)
    }

    override func writeRaw(_ store: any IncidentStoring, fatalities: Double, sourceEventID: String) throws {
        var binds = PostgresBindings()
        binds.append(fatalities)
        binds.append(sourceEventID)
        try (store as! PostgresIncidentStore).execute("UPDATE incident SET fatalities = $1 WHERE source_event_id = $2", binds)
    }

    func testSchemaHasPostGISPointIndexesAndLayerView() throws {
        let store = try makeStore() as! PostgresIncidentStore
        XCTAssertEqual(try store.rows("SELECT type FROM geometry_columns WHERE f_table_name = 'incident'").map { try $0[0].decode(String.self) }, ["POINT"])
        XCTAssertEqual(try store.integer("SELECT srid FROM geometry_columns WHERE f_table_name = 'incident'"), 4326)
        let indexes = try store.rows("SELECT indexdef FROM pg_indexes WHERE tablename = 'incident'").map { try $0[0].decode(String.self) }
        XCTAssertTrue(indexes.contains { $0.contains("gist (geom)") }, "\(indexes)")
        XCTAssertTrue(indexes.contains { $0.contains("(event_day)") }, "\(indexes)")
        XCTAssertEqual(try store.integer("SELECT COUNT(*) FROM geometry_columns WHERE f_table_name = 'incident_layer'"), 1, "QGIS sees the view as a point layer")
        XCTAssertEqual(try store.rows("SELECT identifier FROM regionrisk_migrations").map { try $0[0].decode(String.self) }, ["v1"])
        _ = try store.ingest(file: sample, reader: IncidentFileReader())
        let plan = try store.rows("EXPLAIN SELECT * FROM incident i WHERE i.geom && ST_MakeEnvelope(-9, 12, -4, 15, 4326)").map { try $0[0].decode(String.self) }.joined()
        XCTAssertFalse(plan.isEmpty)
        XCTAssertEqual(try store.integer("SELECT COUNT(*) FROM incident_layer WHERE ST_X(geom) = 0"), 0)
    }

    /// The indexes and constraints of `incident`, as the server describes them.
    func incidentSchema(_ store: PostgresIncidentStore) throws -> [String] {
        let indexes = try store.rows("SELECT indexdef FROM pg_indexes WHERE tablename = 'incident'").map { try $0[0].decode(String.self) }
        let constraints = try store.rows(
            "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'incident'::regclass"
        ).map { try $0[0].decode(String.self) }
        return (indexes + constraints).sorted()
    }

    func testABulkLoadRebuildsTheSchemaAsTheMigrationMadeIt() throws {
        let store = try makeStore() as! PostgresIncidentStore
        let migrated = try incidentSchema(store)
        XCTAssertTrue(migrated.contains { $0.contains("FOREIGN KEY (ingest_run_id)") }, "\(migrated)")
        XCTAssertTrue(try store.isSmall(comparedTo: 1), "an empty store: the sample is bulk-loaded")
        let first = try store.ingest(file: sample, reader: IncidentFileReader())
        XCTAssertEqual(try incidentSchema(store), migrated)
        XCTAssertFalse(try store.isSmall(comparedTo: first.added), "a second ingest of the same file is an ordinary one")
        XCTAssertTrue(try store.isSmall(comparedTo: 4 * first.added + 4))
        // A rejected strict-mode bulk load leaves the schema (and nothing else) changed.
        let fresh = try makeStore() as! PostgresIncidentStore
        XCTAssertThrowsError(try fresh.ingest(file: fixture("bad-rows.csv"), reader: IncidentFileReader(), areaFilter: nil, deletions: nil, strict: true, progress: nil))
        XCTAssertEqual(try incidentSchema(fresh), migrated)
        XCTAssertEqual(try fresh.count(), 0)
        // The run foreign key is back in force after the bulk load.
        XCTAssertThrowsError(try store.execute("UPDATE incident SET ingest_run_id = 999999 WHERE id = (SELECT MIN(id) FROM incident)"))
    }

    func testCopyTextRowsAreEscapedAndNumbersReadBack() throws {
        var out = ByteBufferAllocator().buffer(capacity: 256)
        let incident = Incident(
            source: "acled", sourceEventID: "a\tb\\c", date: CivilDate(dayNumber: -3), location: LonLat(lon: -0.1, lat: 1e-7),
            locationPrecision: .near, place: "Ségou\nnord\r", admin1: nil, eventType: "Battles", actor: "",
            fatalities: 12, weight: nil, sourceURL: nil, sourceTitle: nil, notes: nil)
        let record = IncidentRecord(incident: incident, line: 1_234_567_890_123, geocode: PlaceNameResolution(
            location: incident.location, matchedName: "Ségou", geonameID: 2_451_185, admin1: "Ségou", confidence: 0.875,
            isAmbiguous: true, notes: []))
        CopyText.appendRow(&out, seq: Int64.min, record: record, contentHash: IncidentStore.contentHash(record), runID: 0)
        let hash = IncidentStore.contentHash(record)
        let expected = [
            "\(Int64.min)", "acled", "a\\tb\\\\c", "-3", "-0.1", "1e-07", "2", "Ségou\\nnord\\r", "\\N", "Battles", "", "12.0",
            "\\N", "Ségou", "2451185", "Ségou", "0.875", "1", "\(hash)", "1234567890123", "\\N", "\\N", "\\N", "0",
        ].joined(separator: "\t") + "\n"
        XCTAssertEqual(out.readString(length: out.readableBytes), expected)
        for v: Int64 in [0, 7, -7, 10, 99, 100, Int64.max, Int64.min + 1] {
            var b = ByteBufferAllocator().buffer(capacity: 24)
            CopyText.integer(v, &b)
            XCTAssertEqual(b.readString(length: b.readableBytes), String(v))
        }
    }

    func testABusyStoreFailsClearlyAfterTheTimeout() throws {
        let store = try makeStore(busyTimeout: 0.3) as! PostgresIncidentStore
        let holder = try PostgresIncidentStore(url: try PostgresTestCluster.url(database: store.location.database))
        try holder.execute("BEGIN")
        try holder.execute("SELECT pg_advisory_xact_lock(\(PostgresIncidentStore.writeLockKey))")
        XCTAssertThrowsError(try store.ingest(file: sample, reader: IncidentFileReader())) {
            XCTAssertTrue(($0 as? IncidentStoreError)?.isBusy == true, "\($0)")
        }
        try holder.execute("ROLLBACK")
        XCTAssertEqual(try store.count(), 0)
    }

    func testURLsCredentialsAndRedaction() throws {
        let env = ["HOME": dir.path, "USER": "me"]
        let l = try PostgresLocation(url: "postgresql://ana:s3cret@db.example:6543/team", environment: env)
        XCTAssertEqual([l.host, String(l.port), l.user, l.database, l.sslMode], ["db.example", "6543", "ana", "team", "prefer"])
        XCTAssertEqual(l.password, "s3cret")
        XCTAssertFalse(l.displayName.contains("s3cret"))
        XCTAssertEqual(IncidentStores.displayName("postgres://ana:s3cret@h/x"), "postgresql://ana@h:5432/x")
        XCTAssertEqual(PostgresLocation.redacted("postgres://ana:s3cret@h:bad/x"), "postgres://ana:***@h:bad/x")
        let pgpass = dir.appendingPathComponent(".pgpass")
        try "# comment\nother:*:*:*:no\ndb.example:6543:team:ana:fr\\:om\\\\file\n".write(to: pgpass, atomically: true, encoding: .utf8)
        chmod(pgpass.path, 0o644)
        let loose = try PostgresLocation(url: "postgresql://ana@db.example:6543/team", environment: env)
        XCTAssertNil(loose.password, "a password file others can read is ignored, as libpq does")
        XCTAssertTrue(loose.notes.joined().contains("0600"))
        chmod(pgpass.path, 0o600)
        XCTAssertEqual(try PostgresLocation(url: "postgresql://ana@db.example:6543/team", environment: env).password, "fr:om\\file")
        XCTAssertEqual(try PostgresLocation(url: "postgresql://ana@db.example:6543/team", environment: env.merging(["PGPASSWORD": "env"]) { $1 }).password, "env")
        let services = dir.appendingPathComponent("services.conf")
        try "[other]\nhost=x\n[team]\nhost=svc.example\nport=7000\ndbname=teamdb\nuser=svcuser\npassword=svcpw\nsslmode=disable\n".write(to: services, atomically: true, encoding: .utf8)
        let s = try PostgresLocation(url: "postgresql:///?service=team", environment: env.merging(["PGSERVICEFILE": services.path]) { $1 })
        XCTAssertEqual([s.host, String(s.port), s.user, s.database, s.password ?? "", s.sslMode], ["svc.example", "7000", "svcuser", "teamdb", "svcpw", "disable"])
        XCTAssertThrowsError(try PostgresLocation(url: "postgresql:///?service=none", environment: env.merging(["PGSERVICEFILE": services.path]) { $1 }))
        // A wrong password: refused by the server, and the message does not repeat it.
        var wrong = URLComponents(string: try PostgresTestCluster.url(database: "regionrisk_test"))!
        wrong.password = "not-the-password"
        XCTAssertThrowsError(try PostgresIncidentStore(url: wrong.string!)) {
            XCTAssertTrue($0.localizedDescription.contains("cannot log in"), $0.localizedDescription)
            XCTAssertFalse($0.localizedDescription.contains("not-the-password"), $0.localizedDescription)
        }
    }
}

/// The server `scripts/pg-cluster.sh` started: one database per test, made from its template.
enum PostgresTestCluster {
    static var url: String? { ProcessInfo.processInfo.environment["REGIONRISK_TEST_PG"].flatMap { $0.isEmpty ? nil : $0 } }

    static func url(database: String) throws -> String {
        guard let url, var c = URLComponents(string: url) else { throw XCTSkip("REGIONRISK_TEST_PG is not set") }
        c.path = "/" + database
        return c.string!
    }

    static func newDatabase() throws -> (name: String, url: String) {
        let name = "rr_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try PostgresIncidentStore.administer(url: try url(database: "postgres"), "CREATE DATABASE \(name) TEMPLATE regionrisk_template")
        return (name, try url(database: name))
    }

    static func drop(_ name: String) throws {
        try PostgresIncidentStore.administer(url: try url(database: "postgres"), "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}
