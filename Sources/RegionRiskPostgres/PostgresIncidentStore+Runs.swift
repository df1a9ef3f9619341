import Foundation
import PostgresNIO
import RegionRiskData

/// Report runs remembered in table `report_run`, as in the SQLite store; snapshots for `store copy`.
extension PostgresIncidentStore {
    public func loadHistory() throws -> RunHistory {
        let texts = try translatingErrors {
            try rows("SELECT regions_json FROM report_run ORDER BY id DESC LIMIT 60").map { try $0[0].decode(String.self) }
        }
        var runs: [RunHistory.Entry] = []
        for text in texts.reversed() { runs.append(contentsOf: try RunHistory.parse(Data(text.utf8)).runs) }
        return RunHistory(runs: runs)
    }

    public func appendHistory(_ entry: RunHistory.Entry) throws {
        var b = PostgresBindings()
        b.append(entry.asOf)
        b.append(ISO8601DateFormatter().string(from: Date()))
        b.append(RunHistory(runs: [entry]).json.serialized())
        try translatingErrors { try execute("INSERT INTO report_run (as_of, created_at, regions_json) VALUES ($1, $2, $3)", b) }
    }

    public func snapshot(_ body: (StoreSnapshotItem) throws -> Void) throws {
        try translatingErrors {
            // One transaction at REPEATABLE READ: runs and events from the same moment.
            try execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            defer { try? execute("COMMIT") }
            for row in try rows("SELECT \(Self.runColumns) FROM ingest_run ORDER BY id") { try body(.ingestRun(try Self.ingestRun(row))) }
            for row in try rows("SELECT as_of, created_at, regions_json FROM report_run ORDER BY id") {
                try body(.reportRun(asOf: try row[0].decode(String.self), createdAt: try row[1].decode(String.self), regionsJSON: try row[2].decode(String.self)))
            }
            try execute(
                "DECLARE everything NO SCROLL CURSOR FOR SELECT \(Self.selectedColumns), i.ingest_run_id FROM incident i JOIN ingest_run r ON r.id = i.ingest_run_id ORDER BY i.id")
            while true {
                let batch = try rows("FETCH 10000 FROM everything")
                for row in batch {
                    let e = try Self.storedIncident(row)
                    try body(.incident(IncidentRecord(incident: e.incident, line: e.provenance.line, geocode: e.geocode), runID: Int64(try row[24].decode(Int.self))))
                }
                if batch.count < 10_000 { break }
            }
        }
    }

    public func restore(_ items: (_ put: (StoreSnapshotItem) throws -> Void) throws -> Void) throws {
        try translatingErrors {
            try transaction {
                try lockForWriting()
                let held = try integer("SELECT (SELECT COUNT(*) FROM incident) + (SELECT COUNT(*) FROM ingest_run) + (SELECT COUNT(*) FROM report_run)")
                guard held == 0 else {
                    throw IncidentStoreError(path: displayName, reason: "already holds events or runs; copy into a new, empty store")
                }
                // Into an empty store: a bulk load (see `ingest`).
                try execute("SET LOCAL work_mem = '\(Self.ingestWorkMem)'")
                try execute("SET LOCAL maintenance_work_mem = '\(Self.ingestMaintenanceWorkMem)'")
                try dropSecondaryIndexes()
                try execute("CREATE TEMP TABLE incident_stage (seq bigint, \(Self.stageColumnTypes)) ON COMMIT DROP")
                var buffer = ByteBufferAllocator().buffer(capacity: 1 << 22)
                var seq: Int64 = 0
                try items { item in
                    switch item {
                    case let .ingestRun(r):
                        var b = PostgresBindings()
                        b.append(Int(r.id))
                        for s in [r.fileName, r.filePath, r.sha256, r.format, r.source, r.startedAt] { b.append(s) }
                        for n in [r.rowsRead, r.added, r.updated, r.unchanged, r.skipped, r.rejected, r.outsideArea, r.deleted] { b.append(n) }
                        try execute(
                            """
                            INSERT INTO ingest_run (id, file_name, file_path, file_sha256, format, source, started_at, rows_read, added,
                                updated, unchanged, skipped, rejected, outside_area, deleted)
                            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                            """, b)
                    case let .reportRun(asOf, createdAt, regionsJSON):
                        var b = PostgresBindings()
                        b.append(asOf)
                        b.append(createdAt)
                        b.append(regionsJSON)
                        try execute("INSERT INTO report_run (as_of, created_at, regions_json) VALUES ($1, $2, $3)", b)
                    case let .incident(record, runID):
                        seq += 1
                        CopyText.appendRow(&buffer, seq: seq, record: record, contentHash: IncidentStore.contentHash(record), runID: runID)
                        if seq % 50_000 == 0 {
                            _ = try copyAndMerge(buffer)
                            buffer.clear()
                        }
                    }
                }
                if buffer.readableBytes > 0 { _ = try copyAndMerge(buffer) }
                try createSecondaryIndexes()
                try execute("SELECT setval(pg_get_serial_sequence('ingest_run', 'id'), GREATEST(1, (SELECT COALESCE(MAX(id), 0) FROM ingest_run)))")
                return true
            }
        }
    }
}
