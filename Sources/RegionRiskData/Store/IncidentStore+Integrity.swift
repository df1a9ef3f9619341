import Foundation
import GRDB

extension IncidentStore {
    /// SQLite's `quick_check` (the structure of every page and index, without matching each index
    /// entry to its row): throws `IncidentStoreError` naming the first
    /// problem when the file is damaged. Ingest runs it before writing, so a bit-flipped or
    /// overwritten store fails loudly instead of taking new rows.
    public func quickCheck() throws {
        do {
            let problems = try database.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
            guard problems == ["ok"] else {
                throw IncidentStoreError(
                    path: path,
                    reason: "the database file is damaged (quick_check: \(problems.prefix(3).joined(separator: "; "))); nothing was changed. Restore a backup, or move it aside and ingest the exports again")
            }
        } catch let e as IncidentStoreError { throw e } catch {
            throw IncidentStoreError.wrapping(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// Checkpoints the write-ahead log and truncates it to zero bytes, best effort: after a
    /// failed ingest (a full disk) the rolled-back pages must not stay on the disk as a WAL.
    /// (A checkpoint that must grow the database file fails on a full disk; ingest therefore
    /// also checkpoints before it starts writing.)
    func truncateWriteAheadLog() {
        _ = try? database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}
