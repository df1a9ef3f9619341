import Foundation
import PostgresNIO
import RegionRiskData

extension PostgresIncidentStore {
    /// The schema as versioned migrations, applied in order and recorded in
    /// `regionrisk_migrations`. Append new ones at the end; never edit one that has shipped.
    /// (The names follow the SQLite store's; v1 here holds what SQLite's v1–v3 built.)
    static let migrations: [(id: String, sql: String)] = [
        ("v1", """
            CREATE EXTENSION IF NOT EXISTS postgis;
            CREATE TABLE ingest_run (
                id bigserial PRIMARY KEY,
                file_name text NOT NULL,
                file_path text NOT NULL,
                file_sha256 text NOT NULL,
                format text NOT NULL,
                source text NOT NULL,
                started_at text NOT NULL,                 -- ISO 8601, UTC
                rows_read bigint NOT NULL DEFAULT 0,
                added bigint NOT NULL DEFAULT 0,
                updated bigint NOT NULL DEFAULT 0,
                unchanged bigint NOT NULL DEFAULT 0,
                skipped bigint NOT NULL DEFAULT 0,
                rejected bigint NOT NULL DEFAULT 0,
                outside_area bigint NOT NULL DEFAULT 0,
                deleted bigint NOT NULL DEFAULT 0
            );
            CREATE TABLE incident (
                id bigserial PRIMARY KEY,
                -- "C": byte order, as SQLite sorts, so both stores list events alike.
                source text COLLATE "C" NOT NULL,
                source_event_id text COLLATE "C" NOT NULL,
                event_day integer,                        -- days since 1970-01-01; NULL: undated
                lon double precision NOT NULL,            -- degrees east, WGS 84
                lat double precision NOT NULL,            -- degrees north, WGS 84
                location_precision integer NOT NULL,      -- 1 exact, 2 near, 3 region only, 9 unknown
                place text,
                admin1 text,
                event_type text,
                actor text,
                fatalities double precision,
                weight double precision,
                geocode_name text,
                geocode_geonameid bigint,
                geocode_admin1 text,
                geocode_confidence double precision,
                geocode_ambiguous integer,
                content_hash bigint NOT NULL,             -- FNV-1a, as in SQLite
                ingest_run_id bigint NOT NULL REFERENCES ingest_run(id),
                source_line bigint NOT NULL,
                source_url text,
                source_title text,
                notes text,
                geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
                UNIQUE (source, source_event_id)
            );
            CREATE INDEX incident_by_day ON incident (event_day);
            CREATE INDEX incident_geom ON incident USING gist (geom);
            CREATE TABLE report_run (
                id bigserial PRIMARY KEY,
                as_of text NOT NULL,
                created_at text NOT NULL,
                regions_json text NOT NULL
            );
            -- For QGIS (Layer > Add PostGIS layer): one point per event, dates as dates.
            CREATE VIEW incident_layer AS
                SELECT i.id, i.source, i.source_event_id, DATE '1970-01-01' + i.event_day AS event_date,
                       i.location_precision AS geo_precision, i.place, i.admin1, i.event_type, i.actor, i.fatalities,
                       i.source_url, i.source_title, i.notes, i.geom
                FROM incident i;
            """),
    ]

    /// Key of the advisory lock every writer (migration, ingest, restore) holds for its transaction.
    static let writeLockKey = 0x5265_6752_6973_6B31  // "RegRisk1"

    /// Applies missing migrations in one transaction under the write lock, so two processes
    /// opening a new database at once do not both create it.
    func migrate() throws {
        try transaction {
            try lockForWriting()
            try execute("CREATE TABLE IF NOT EXISTS regionrisk_migrations (identifier text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
            let applied = try appliedMigrations()
            try checkNotNewer(applied)
            for m in Self.migrations where !applied.contains(m.id) {
                // One statement at a time: the extended protocol takes one per query.
                do { for statement in m.sql.components(separatedBy: ";\n") where !statement.allSatisfy(\.isWhitespace) { try execute(statement) } } catch let e as PSQLError where e.serverInfo?[.sqlState] == "42501" || e.serverInfo?[.sqlState] == "0A000" {
                    throw IncidentStoreError(
                        path: displayName,
                        reason: "cannot create the schema (\(e.serverInfo?[.message] ?? "permission denied")); PostGIS must be installed and the role allowed to CREATE in the database (an administrator runs CREATE EXTENSION postgis)")
                }
                var b = PostgresBindings()
                b.append(m.id)
                try execute("INSERT INTO regionrisk_migrations (identifier) VALUES ($1)", b)
            }
            return true
        }
    }

    /// For read-only use: the schema must exist and be one this build knows.
    func checkSchema(requireComplete: Bool) throws {
        let exists = try integer("SELECT COUNT(*) FROM pg_tables WHERE tablename = 'regionrisk_migrations' AND schemaname = current_schema()")
        guard exists > 0 else {
            throw IncidentStoreError(path: displayName, reason: "no incident store here; load events first with `regionrisk ingest FILE --db \(displayName)`")
        }
        let applied = try appliedMigrations()
        try checkNotNewer(applied)
        if requireComplete, !Self.migrations.allSatisfy({ applied.contains($0.id) }) {
            throw IncidentStoreError(path: displayName, reason: "was written by an older RegionRisk; run `regionrisk ingest` into it once to upgrade its schema")
        }
    }

    private func appliedMigrations() throws -> Set<String> {
        Set(try rows("SELECT identifier FROM regionrisk_migrations").map { try $0[0].decode(String.self) })
    }

    private func checkNotNewer(_ applied: Set<String>) throws {
        let known = Set(Self.migrations.map(\.id))
        if !applied.isSubset(of: known) {
            throw IncidentStoreError(path: displayName, reason: "was written by a newer RegionRisk (unknown schema migrations); upgrade regionrisk")
        }
    }

    /// Waits up to `busyTimeout` for the write lock, held until the transaction ends.
    func lockForWriting() throws {
        try execute("SET LOCAL lock_timeout = '\(max(1, Int((busyTimeout * 1000).rounded())))ms'")
        try execute("SELECT pg_advisory_xact_lock(\(Self.writeLockKey))")
        try execute("SET LOCAL lock_timeout = 0")
    }
}
