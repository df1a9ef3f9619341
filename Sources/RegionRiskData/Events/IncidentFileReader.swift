import Foundation
import RegionRiskBase

/// Everything read from one incident file.
public struct IncidentReadResult: Sendable {
    public var format: IncidentFileFormat
    public var incidents: [Incident]
    /// The line each incident starts on, parallel to `incidents`.
    public var lineNumbers: [Int]
    /// Gazetteer matches for incidents that had a place name but no coordinates, keyed by
    /// index in `incidents`.
    public var geocodes: [Int: PlaceNameResolution]
    public var rejected: [RejectedRow]
    /// Data rows read (header and blank lines not counted).
    public var rowsRead: Int
    /// Rows skipped because they repeat an event id already read with the same date and place
    /// (ACLED lists an event once per actor).
    public var duplicatesSkipped: Int
    /// Things the user should know that are not row errors (e.g. Latin-1 bytes read).
    public var notes: [String]
    /// The date column's (or GeoJSON property's) name as the file spells it; nil when the file
    /// has none.
    public var dateColumn: String?
    /// SHA-256 of the file's bytes (lowercase hex), computed while reading it.
    public var sha256: String = ""
}

/// What a streaming read saw, besides the incidents themselves.
public struct IncidentStreamInfo: Sendable, Equatable {
    public var format: IncidentFileFormat
    public var rowsRead: Int
    public var accepted: Int
    public var rejected: Int
    public var duplicatesSkipped: Int
    public var notes: [String]
    /// The date column's name as the file spells it; nil when the file has none.
    public var dateColumn: String? = nil
}

/// Reads ACLED, UCDP GED, plain CSV and GeoJSON incident files, one validated row at a time.
///
/// Rows that cannot become an incident (missing or out-of-range coordinates, impossible dates,
/// negative fatalities, numbers that are not numbers, a column count that differs from the
/// header) become `RejectedRow`s naming line, column and reason; they never stop the read.
/// The read itself fails (`IncidentFileError`, `CSVError`) only when the file cannot be used
/// at all: missing, empty, header only, not CSV, an unclosed quote, a named column absent.
public struct IncidentFileReader: Sendable {
    /// nil: detected from the content (GeoJSON starts with `{`) and the header.
    public var format: IncidentFileFormat?
    public var columns: IncidentColumns
    /// Places rows that have a place name but no coordinates; nil rejects such rows.
    public var resolver: (any PlaceNameResolver)?
    /// Gazetteer matches below this confidence (0…1) are rejected, not guessed.
    public var minimumGeocodeConfidence: Double
    /// `Incident.source` for what is read; nil uses the format's name ("acled", "ucdp", "csv",
    /// "geojson"). Events are keyed by (source, id), so plain files whose ids could collide
    /// need a source of their own.
    public var source: String?
    /// Dates after this are rejected; nil means tomorrow (UTC).
    public var latestDate: CivilDate?
    /// A CSV file without a usable date column (a GeoJSON file without a date property) fails (`IncidentFileError`) instead of being read
    /// undated with a note: ingest sets it unless `--allow-undated`, so a renamed column cannot
    /// fill a store with events no date window will ever see.
    public var requiresDateColumn = false

    public init(
        format: IncidentFileFormat? = nil, columns: IncidentColumns = .init(), resolver: (any PlaceNameResolver)? = nil,
        minimumGeocodeConfidence: Double = 0.6, source: String? = nil, latestDate: CivilDate? = nil
    ) {
        self.format = format
        self.columns = columns
        self.resolver = resolver
        self.minimumGeocodeConfidence = minimumGeocodeConfidence
        self.source = source
        self.latestDate = latestDate
    }

    /// The date column names a plain CSV or GeoJSON file is searched for (ACLED and UCDP files
    /// must have theirs), for messages.
    public static var dateNamesLookedFor: String { (FormatProfile.of(.csv).names[.date] ?? []).joined(separator: ", ") }

    /// The first header names, for messages (never the whole of a huge header).
    static func headerPreview(_ header: [String]) -> String {
        let shown = header.prefix(12).map { $0.count > 40 ? String($0.prefix(40)) + "…" : $0 }
        return shown.joined(separator: ",") + (header.count > 12 ? ",… (\(header.count) columns)" : "")
    }

    /// Reads the whole file into memory (fine up to a few hundred thousand rows; use `forEach`
    /// or `stream` beyond).
    public func read(_ url: URL) throws -> IncidentReadResult {
        var result = IncidentReadResult(
            format: .csv, incidents: [], lineNumbers: [], geocodes: [:], rejected: [], rowsRead: 0,
            duplicatesSkipped: 0, notes: [])
        // Hashed on another thread as the chunks are parsed (the hash was a tenth of `flag`'s time at 1M rows).
        let hasher = BackgroundSHA256()
        let info = try stream(url, onBytes: { hasher.update($0) }, { record in
            if let g = record.geocode { result.geocodes[result.incidents.count] = g }
            result.incidents.append(record.incident)
            result.lineNumbers.append(record.line)
        }, rejected: { result.rejected.append($0) })
        result.format = info.format
        result.rowsRead = info.rowsRead
        result.duplicatesSkipped = info.duplicatesSkipped
        result.notes = info.notes
        result.dateColumn = info.dateColumn
        result.sha256 = hasher.finish()
        return result
    }

    /// Streams the file: `body` gets each incident and the line it starts on, `rejected` each
    /// row that was not read. Returns the format read.
    @discardableResult
    public func forEach(
        _ url: URL, _ body: (Incident, Int) throws -> Void, rejected: (RejectedRow) throws -> Void
    ) throws -> IncidentFileFormat {
        try stream(url, { try body($0.incident, $0.line) }, rejected: rejected).format
    }

    /// Streams the file with everything known about each incident. `onBytes` sees the raw file
    /// as it is read (ingest computes the file's SHA-256 with it, reading the file once).
    @discardableResult
    package func stream(
        _ url: URL, onBytes: ((UnsafeRawBufferPointer) -> Void)? = nil,
        _ body: (IncidentRecord) throws -> Void, rejected: (RejectedRow) throws -> Void
    ) throws -> IncidentStreamInfo {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw IncidentFileError(file: url.path, reason: "is a folder, not an incidents file")
        }
        let detected = try format ?? Self.sniffFormat(url)
        if detected == .geojson {
            return try GeoJSONIncidents.stream(url, reader: self, onBytes: onBytes, body, rejected: rejected)
        }
        return try streamCSV(url, format: detected, onBytes: onBytes, body, rejected: rejected)
    }

    /// GeoJSON when the first character is `{`; otherwise CSV (format decided by the header).
    /// Throws when the file cannot be opened or is empty.
    static func sniffFormat(_ url: URL) throws -> IncidentFileFormat? {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "cannot be read (permissions?)" : "no such file"
            throw IncidentFileError(file: url.path, reason: reason)
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 512)) ?? Data()
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if first == nil {
            throw IncidentFileError(file: url.path, reason: "is empty")
        }
        return first == UInt8(ascii: "{") ? .geojson : nil
    }

    func interpreter(map: ColumnMap, format: IncidentFileFormat, url: URL) -> IncidentRowInterpreter {
        IncidentRowInterpreter(
            map: map, format: format, source: source ?? format.defaultSource, fileName: url.lastPathComponent,
            resolver: resolver, minimumGeocodeConfidence: minimumGeocodeConfidence,
            latestDate: latestDate ?? CivilDate.today.adding(days: 1))
    }

    private func streamCSV(
        _ url: URL, format fixedFormat: IncidentFileFormat?, onBytes: ((UnsafeRawBufferPointer) -> Void)?,
        _ body: (IncidentRecord) throws -> Void, rejected: (RejectedRow) throws -> Void
    ) throws -> IncidentStreamInfo {
        let csv = try CSVReader(url: url)
        var format = fixedFormat ?? .csv
        var interpreter: IncidentRowInterpreter?
        var headerCount = 0
        var sawHeader = false
        let fileName = url.lastPathComponent
        // Sized from the file (about 300 bytes per ACLED row) so a 1M-row read never rehashes.
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        var rows = RowDispatch(format: format, fileName: fileName, expectedRows: fileSize / 300)

        try csv.forEachRecord(onBytes: onBytes) { record in
            guard sawHeader else {
                sawHeader = true
                let header = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
                if fixedFormat == nil { format = FormatProfile.detect(header: header.map { $0.lowercased() }) }
                let map = try ColumnMap(header: header, format: format, columns: columns, file: url.path)
                interpreter = self.interpreter(map: map, format: format, url: url)
                headerCount = record.count
                rows.info.dateColumn = map.name(.date)
                if map[.latitude] == nil {
                    rows.info.notes.append("\(fileName): no latitude/longitude columns (looked for latitude, lat; longitude, lon, lng): every row is placed by its place name; name the coordinate columns with --lat-col and --lon-col if the file has them")
                }
                if map[.date] == nil, requiresDateColumn {
                    throw IncidentFileError(
                        file: url.path,
                        reason: "no date column (looked for \(Self.dateNamesLookedFor); the header is \(Self.headerPreview(header))); name it with --date-col, or store the events undated with --allow-undated")
                }
                if map[.date] == nil {
                    rows.info.notes.append("\(fileName): no date column (looked for \(Self.dateNamesLookedFor); name one with --date-col): events have no dates, so date windows will not include them")
                }
                return
            }
            if record.count == 1, record.isBlank(0) { return }
            rows.info.rowsRead += 1
            guard record.count == headerCount else {
                return try rows.reject(
                    RejectedRow(
                        file: fileName, line: record.line, column: nil,
                        reason: "has \(record.count) fields; the header has \(headerCount)\(record.count < headerCount ? " (a missing comma, or a line break inside an unquoted field?)" : " (a comma inside an unquoted field?)")",
                        rawRecord: record.csvText),
                    rejected)
            }
            try rows.dispatch(
                interpreter!.interpret(CSVCells(record: record)), idColumn: interpreter!.map.name(.id), rawRecord: record.csvText,
                body, rejected: rejected)
        }
        guard sawHeader else { throw IncidentFileError(file: url.path, reason: "is empty") }
        guard rows.info.rowsRead > 0 else { throw IncidentFileError(file: url.path, reason: "has a header but no rows") }
        rows.info.format = format
        if let line = csv.firstNonUTF8Line {
            rows.info.notes.append("\(fileName): bytes that are not UTF-8 (first on line \(line)) were read as Windows-1252/Latin-1; check accented names, or save the file as UTF-8")
        }
        return rows.finish()
    }
}

/// Counts rows, keeps one event per id and hands each outcome on: what CSV and GeoJSON
/// reading share once a row is interpreted.
struct RowDispatch {
    var info: IncidentStreamInfo
    private var dedup: DuplicateFilter
    private let fileName: String

    init(format: IncidentFileFormat, fileName: String, expectedRows: Int) {
        info = IncidentStreamInfo(format: format, rowsRead: 0, accepted: 0, rejected: 0, duplicatesSkipped: 0, notes: [])
        dedup = DuplicateFilter(expectedCount: expectedRows)
        self.fileName = fileName
    }

    mutating func reject(_ row: RejectedRow, _ rejected: (RejectedRow) throws -> Void) throws {
        info.rejected += 1
        try rejected(row)
    }

    mutating func dispatch(
        _ outcome: RowOutcome, idColumn: String?, rawRecord: @autoclosure () -> String,
        _ body: (IncidentRecord) throws -> Void, rejected: (RejectedRow) throws -> Void
    ) throws {
        switch outcome {
        case let .rejected(r):
            try reject(r, rejected)
        case let .accepted(r):
            switch dedup.check(r) {
            case .new:
                info.accepted += 1
                try body(r)
            case .repeated:
                info.duplicatesSkipped += 1
            case let .conflicting(reason):
                try reject(RejectedRow(file: fileName, line: r.line, column: idColumn, reason: reason, rawRecord: rawRecord()), rejected)
            }
        }
    }

    /// The info, with a note when rows were skipped as repeats.
    func finish() -> IncidentStreamInfo {
        var info = info
        let n = info.duplicatesSkipped
        if n > 0 {
            info.notes.append("\(fileName): \(n) row\(n == 1 ? "" : "s") repeat\(n == 1 ? "s" : "") an event already read (same id, date and place; ACLED lists an event once per actor) and \(n == 1 ? "was" : "were") skipped")
        }
        return info
    }
}

/// One event per id within a file: ACLED exports may list an event once per actor.
struct DuplicateFilter {
    enum Verdict { case new, repeated, conflicting(String) }
    private var seen: [String: (line: Int, key: UInt64)]

    init(expectedCount: Int = 0) { seen = Dictionary(minimumCapacity: min(max(expectedCount, 0), 5_000_000)) }

    mutating func check(_ r: IncidentRecord) -> Verdict {
        var h = FNV1a64()
        h.add(r.incident.date?.dayNumber ?? Int.min)
        h.add(r.incident.location.lon)
        h.add(r.incident.location.lat)
        let key = h.value
        if let first = seen[r.incident.sourceEventID] {
            if first.key == key { return .repeated }
            return .conflicting("\"\(r.incident.sourceEventID)\" repeats the id on line \(first.line) with a different date or location")
        }
        seen[r.incident.sourceEventID] = (r.line, key)
        return .new
    }
}

/// A CSV record seen as incident cells.
struct CSVCells: IncidentCells {
    let record: CSVRecord
    var line: Int { record.line }
    func text(_ i: Int) -> String? { record.isBlank(i) ? nil : record.string(i) }
    func number(_ i: Int) -> CSVNumber { record.number(i) }
    func date(_ i: Int) -> CivilDate.ParseOutcome? {
        let b = record.bytes(i)
        return b.isEmpty ? nil : CivilDate.parse(utf8: b)
    }
    var rawRecord: String { record.csvText }
}
