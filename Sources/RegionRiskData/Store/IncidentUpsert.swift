import Foundation
import GRDB

#if canImport(SQLite3)
    import SQLite3
#else
    import GRDBSQLite  // GRDB's system SQLite on Linux
#endif

/// The per-event upsert of an ingest, bound and stepped through SQLite's C interface
/// (GRDB's documented "raw SQLite pointers" route). Building a `StatementArguments` per row
/// boxed 20 values into existentials and took a fifth of a 1M-row ingest; binding directly
/// does not allocate.
struct IncidentUpsert {
    private let statement: Statement
    private let connection: OpaquePointer
    private let runID: Int64
    // SQLite copies bound text at once (SQLITE_TRANSIENT), so Swift may free it after binding.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, runID: Int64, sql: String = IncidentStore.upsertSQL) throws {
        statement = try db.makeStatement(sql: sql)
        connection = db.sqliteConnection!
        self.runID = runID
    }

    /// Inserts or updates `r`, whose `IncidentStore.contentHash` is `contentHash` (computed by
    /// the caller: an ingest hashes on its reading thread); returns whether a row was written
    /// (false: stored unchanged).
    func callAsFunction(_ r: IncidentRecord, contentHash: Int64) throws -> Bool {
        try callAsFunction(r, contentHash: contentHash, runID: runID)
    }

    /// Inserts or updates `r` as coming from run `runID`.
    func callAsFunction(_ r: IncidentRecord, contentHash: Int64, runID: Int64) throws -> Bool {
        let s = statement.sqliteStatement
        let i = r.incident, g = r.geocode
        sqlite3_reset(s)
        text(1, i.source)
        text(2, i.sourceEventID)
        integer(3, i.date.map { Int64($0.dayNumber) })
        real(4, i.location.lon)
        real(5, i.location.lat)
        integer(6, Int64(i.locationPrecision.rawValue))
        text(7, i.place)
        text(8, i.admin1)
        text(9, i.eventType)
        text(10, i.actor)
        real(11, i.fatalities)
        real(12, i.weight)
        text(13, g?.matchedName)
        integer(14, g?.geonameID.map(Int64.init))
        text(15, g?.admin1)
        real(16, g?.confidence)
        integer(17, g.map { $0.isAmbiguous ? 1 : 0 })
        integer(18, contentHash)
        integer(19, runID)
        integer(20, Int64(r.line))
        text(21, i.sourceURL)
        text(22, i.sourceTitle)
        text(23, i.notes)
        let rc = sqlite3_step(s)
        guard rc == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(s)
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: IncidentStore.upsertSQL)
        }
        return sqlite3_changes(connection) > 0
    }

    private func text(_ k: Int32, _ v: String?) {
        let s = statement.sqliteStatement
        guard var v else {
            sqlite3_bind_null(s, k)
            return
        }
        v.withUTF8 { b in _ = sqlite3_bind_text(s, k, UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(b.count), Self.transient) }
    }

    private func integer(_ k: Int32, _ v: Int64?) {
        if let v { sqlite3_bind_int64(statement.sqliteStatement, k, v) } else { sqlite3_bind_null(statement.sqliteStatement, k) }
    }

    private func real(_ k: Int32, _ v: Double?) {
        if let v { sqlite3_bind_double(statement.sqliteStatement, k, v) } else { sqlite3_bind_null(statement.sqliteStatement, k) }
    }
}

/// Rows stepped straight from SQLite: GRDB's `Row` decodes each value through generic
/// conversions, which made reading a month of a 1M-event store (10k rows) take 60 ms.
enum RawRows {
    static func forEach(_ statement: Statement, _ db: Database, _ body: (RawRow) throws -> Void) throws {
        let s = statement.sqliteStatement
        sqlite3_reset(s)
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
            try body(RawRow(statement: s))
        }
        sqlite3_reset(s)
    }
}

/// The current row of a stepped statement; valid only inside `RawRows.forEach`'s body.
struct RawRow {
    let statement: OpaquePointer

    func text(_ k: Int32) -> String? {
        guard let p = sqlite3_column_text(statement, k) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, k))), as: UTF8.self)
    }
    func integer(_ k: Int32) -> Int64? {
        sqlite3_column_type(statement, k) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, k)
    }
    func real(_ k: Int32) -> Double? {
        sqlite3_column_type(statement, k) == SQLITE_NULL ? nil : sqlite3_column_double(statement, k)
    }
}
