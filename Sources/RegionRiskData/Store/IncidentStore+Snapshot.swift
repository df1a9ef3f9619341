import Foundation
import GRDB

extension IncidentStore: IncidentStoring {
    public var displayName: String { path }

    public func snapshot(_ body: (StoreSnapshotItem) throws -> Void) throws {
        try read { db in
            for row in try Row.fetchAll(db, sql: "SELECT * FROM ingest_run ORDER BY id") { try body(.ingestRun(IngestRun(row: row))) }
            for row in try Row.fetchAll(db, sql: "SELECT as_of, created_at, regions_json FROM report_run ORDER BY id") {
                try body(.reportRun(asOf: row[0], createdAt: row[1], regionsJSON: row[2]))
            }
            let statement = try db.makeStatement(sql: "SELECT \(Self.selectedColumns), i.ingest_run_id FROM incident i JOIN ingest_run r ON r.id = i.ingest_run_id ORDER BY i.id")
            try RawRows.forEach(statement, db) { c in
                let e = Self.storedIncident(c)
                try body(.incident(IncidentRecord(incident: e.incident, line: e.provenance.line, geocode: e.geocode), runID: c.integer(24) ?? 0))
            }
        }
    }

    public func restore(_ items: (_ put: (StoreSnapshotItem) throws -> Void) throws -> Void) throws {
        do {
            try database.write { db in
                let held = try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM incident) + (SELECT COUNT(*) FROM ingest_run) + (SELECT COUNT(*) FROM report_run)") ?? 0
                guard held == 0 else {
                    throw IncidentStoreError(path: path, reason: "already holds events or runs; copy into a new, empty store")
                }
                let upsert = try IncidentUpsert(db, runID: 0)
                try items { item in
                    switch item {
                    case let .ingestRun(r):
                        try db.execute(
                            sql: """
                                INSERT INTO ingest_run (id, file_name, file_path, file_sha256, format, source, started_at, rows_read, added,
                                    updated, unchanged, skipped, rejected, outside_area, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [r.id, r.fileName, r.filePath, r.sha256, r.format, r.source, r.startedAt, r.rowsRead, r.added,
                                        r.updated, r.unchanged, r.skipped, r.rejected, r.outsideArea, r.deleted])
                    case let .reportRun(asOf, createdAt, regionsJSON):
                        try db.execute(sql: "INSERT INTO report_run (as_of, created_at, regions_json) VALUES (?, ?, ?)", arguments: [asOf, createdAt, regionsJSON])
                    case let .incident(record, runID):
                        _ = try upsert(record, contentHash: IncidentStore.contentHash(record), runID: runID)
                    }
                }
            }
        } catch let e as IncidentStoreError { throw e } catch let e as DatabaseError {
            throw IncidentStoreError.wrapping(e, path: path, busyTimeout: busyTimeout)
        }
    }
}
