import Foundation
import GRDB

/// Reports run on a store remember their flagged regions in it (table `report_run`).
extension IncidentStore: RunHistoryStore {
    public func loadHistory() throws -> RunHistory {
        let texts = try database.read { db in
            try String.fetchAll(db, sql: "SELECT regions_json FROM report_run ORDER BY id DESC LIMIT 60").reversed()
        }
        var runs: [RunHistory.Entry] = []
        for text in texts { runs.append(contentsOf: try RunHistory.parse(Data(text.utf8)).runs) }
        return RunHistory(runs: runs)
    }

    public func appendHistory(_ entry: RunHistory.Entry) throws {
        let text = RunHistory(runs: [entry]).json.serialized()
        try database.write { db in
            try db.execute(sql: "INSERT INTO report_run (as_of, created_at, regions_json) VALUES (?, ?, ?)",
                           arguments: [entry.asOf, ISO8601DateFormatter().string(from: Date()), text])
        }
    }
}
