import GRDB
import RegionRiskBase

extension IncidentStore {
    /// The schema, as versioned migrations ("v1", "v2", ...). Append new migrations at the end
    /// (e.g. a table for report runs); never edit one that has shipped, since databases in the
    /// field have already applied it.
    package static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            // One row per ingest: the provenance every event points to.
            try db.execute(sql: """
                CREATE TABLE ingest_run (
                    id INTEGER PRIMARY KEY,
                    file_name TEXT NOT NULL,
                    file_path TEXT NOT NULL,
                    file_sha256 TEXT NOT NULL,
                    format TEXT NOT NULL,
                    source TEXT NOT NULL,
                    started_at TEXT NOT NULL,          -- ISO 8601, UTC
                    rows_read INTEGER NOT NULL DEFAULT 0,
                    added INTEGER NOT NULL DEFAULT 0,
                    updated INTEGER NOT NULL DEFAULT 0,
                    unchanged INTEGER NOT NULL DEFAULT 0,
                    skipped INTEGER NOT NULL DEFAULT 0,
                    rejected INTEGER NOT NULL DEFAULT 0,
                    outside_area INTEGER NOT NULL DEFAULT 0,
                    deleted INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE incident (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    source_event_id TEXT NOT NULL,
                    event_day INTEGER,                 -- days since 1970-01-01 (CivilDate.dayNumber); NULL: undated
                    lon REAL NOT NULL,                 -- degrees east, WGS 84
                    lat REAL NOT NULL,                 -- degrees north, WGS 84
                    location_precision INTEGER NOT NULL, -- LocationPrecision raw value: 1 exact, 2 near, 3 region only, 9 unknown
                    place TEXT,
                    admin1 TEXT,
                    event_type TEXT,
                    actor TEXT,
                    fatalities REAL,
                    weight REAL,
                    geocode_name TEXT,                 -- gazetteer match, when placed by name
                    geocode_geonameid INTEGER,
                    geocode_admin1 TEXT,
                    geocode_confidence REAL,
                    geocode_ambiguous INTEGER,
                    content_hash INTEGER NOT NULL,     -- FNV-1a of the fields above: tells an edit from a repeat
                    ingest_run_id INTEGER NOT NULL REFERENCES ingest_run(id),
                    source_line INTEGER NOT NULL,      -- line the event starts on in that run's file
                    UNIQUE (source, source_event_id)
                );
                CREATE INDEX IF NOT EXISTS incident_by_day ON incident(event_day, lon, lat);
                CREATE INDEX IF NOT EXISTS incident_by_lat ON incident(lat, lon);
                """)
        }
        // v2: what each report flagged, so the next report can tell new regions from continuing ones.
        m.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE report_run (
                    id INTEGER PRIMARY KEY,
                    as_of TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    regions_json TEXT NOT NULL
                )
                """)
        }
        // v3: the source report each event rests on, and the row's notes (issue #13).
        m.registerMigration("v3") { db in
            try db.execute(sql: """
                ALTER TABLE incident ADD COLUMN source_url TEXT;
                ALTER TABLE incident ADD COLUMN source_title TEXT;
                ALTER TABLE incident ADD COLUMN notes TEXT;
                """)
        }
        // v4: no latitude index. Rebuilding it was half of the index work at the end of every bulk
        // load (about 1 s of a 1M-row ingest); a bounding box without dates is now answered by
        // scanning `incident_by_day`, which holds lon and lat (see `indexHint`).
        m.registerMigration("v4") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS incident_by_lat")
        }
        return m
    }

    /// Page cache per connection, KiB.
    static let defaultCacheKiB = 32_768
    /// Page cache while ingesting, KiB: with it a 1M-event ingest writes each index page once.
    static let ingestCacheKiB = 196_608
    /// Rough size of one ACLED row, bytes, to guess a file's row count from its size.
    static let bytesPerRowEstimate = 300

    /// The secondary indexes as the migrations leave them (v1 created them, v4 dropped the
    /// latitude index); ingest drops and rebuilds them for bulk loads. A later migration that
    /// changes them must update this too.
    static let secondaryIndexesSQL = """
        -- Date windows (detection, `events --since/--until`), with the position in the index so a
        -- window plus a bounding box is answered from the index alone; a bounding box without
        -- dates scans it (covering: no table rows read for the events outside the box).
        CREATE INDEX IF NOT EXISTS incident_by_day ON incident(event_day, lon, lat);
        """

    static func createSecondaryIndexes(_ db: Database) throws {
        try db.execute(sql: secondaryIndexesSQL)
    }

    static func dropSecondaryIndexes(_ db: Database) throws {
        try db.execute(sql: "DROP INDEX IF EXISTS incident_by_day")
    }
}
