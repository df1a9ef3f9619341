import Foundation
import RegionRiskBase
import RegionRiskGeoJSON

/// Reads a GeoJSON FeatureCollection of Points as incident rows: each feature's properties are
/// its cells (named like plain CSV columns), its Point the coordinates, and a feature with a
/// null geometry but a place name is geocoded. The file is read whole: GeoJSON has no record
/// boundaries to stream by, and incident GeoJSON files are small next to CSV exports.
enum GeoJSONIncidents {
    static let latitudeColumn = "geometry latitude"
    static let longitudeColumn = "geometry longitude"
    static let featureIDColumn = "feature id"

    static func stream(
        _ url: URL, reader: IncidentFileReader, onBytes: ((UnsafeRawBufferPointer) -> Void)?,
        _ body: (IncidentRecord) throws -> Void, rejected: (RejectedRow) throws -> Void
    ) throws -> IncidentStreamInfo {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw IncidentFileError(file: url.path, reason: "cannot be read: \(error.localizedDescription)")
        }
        data.withUnsafeBytes { onBytes?($0) }
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch let e as LocalizedError {
            throw IncidentFileError(file: url.path, reason: "is not valid JSON: \(e.errorDescription ?? "\(e)")")
        }
        let features: [JSONValue]
        switch json["type"]?.stringValue {
        case "FeatureCollection":
            guard let fs = json["features"]?.arrayValue else {
                throw IncidentFileError(file: url.path, reason: "FeatureCollection has no \"features\" array")
            }
            features = fs
        case "Feature": features = [json]
        default:
            throw IncidentFileError(file: url.path, reason: "is not a GeoJSON FeatureCollection of points")
        }
        guard !features.isEmpty else { throw IncidentFileError(file: url.path, reason: "has no features") }

        // Properties become columns: the union of keys, in order of first appearance.
        var keys: [String] = []
        var keyIndex: [String: Int] = [:]
        for f in features {
            for (k, _) in f["properties"]?.objectValue ?? [] where keyIndex[k] == nil {
                keyIndex[k] = keys.count
                keys.append(k)
            }
        }
        // Three columns follow the properties: the Point's latitude and longitude, and the
        // Feature's own id, used when the id property is absent.
        var map = try ColumnMap(
            header: keys + [latitudeColumn, longitudeColumn, featureIDColumn], format: .geojson, columns: reader.columns, file: url.path)
        if reader.columns.latitude == nil, reader.columns.longitude == nil {
            map.index[IncidentField.latitude.rawValue] = keys.count
            map.index[IncidentField.longitude.rawValue] = keys.count + 1
        }
        let idColumn = map[.id] ?? keys.count + 2
        map.index[IncidentField.id.rawValue] = idColumn
        let fileName = url.lastPathComponent
        var rows = RowDispatch(format: .geojson, fileName: fileName, expectedRows: features.count)
        rows.info.dateColumn = map.name(.date)
        if map[.date] == nil {
            let looked = "looked for the properties \(IncidentFileReader.dateNamesLookedFor); the properties are \(IncidentFileReader.headerPreview(keys))"
            if reader.requiresDateColumn {
                throw IncidentFileError(
                    file: url.path,
                    reason: "no date property (\(looked)); name it with --date-col, or store the events undated with --allow-undated")
            }
            rows.info.notes.append("\(fileName): no date property (\(looked); name one with --date-col): events have no dates, so date windows will not include them")
        }
        let interpreter = reader.interpreter(map: map, format: .geojson, url: url)
        let lines = featureLines(data, count: features.count)

        for (n, feature) in features.enumerated() {
            rows.info.rowsRead += 1
            let line = lines?[n] ?? n + 1
            func reject(_ column: String?, _ reason: String) throws {
                try rows.reject(RejectedRow(file: fileName, line: line, column: column, reason: reason, rawRecord: feature.serialized()), rejected)
            }
            var cells = [String?](repeating: nil, count: keys.count + 3)
            for (k, v) in feature["properties"]?.objectValue ?? [] {
                switch v {
                case .null: break
                case let .string(s): cells[keyIndex[k]!] = s.trimmingCharacters(in: .whitespaces)
                case let .number(d): cells[keyIndex[k]!] = JSONValue.number(d).serialized()
                case let .bool(b): cells[keyIndex[k]!] = b ? "true" : "false"
                default: cells[keyIndex[k]!] = v.serialized()
                }
            }
            switch feature["geometry"] {
            case nil, .null?: break
            case let g?:
                guard g["type"]?.stringValue == "Point" else {
                    try reject("geometry", "is a \(g["type"]?.stringValue ?? "geometry without a type"), not a Point")
                    continue
                }
                guard let c = g["coordinates"]?.arrayValue, c.count >= 2, let lon = c[0].doubleValue, let lat = c[1].doubleValue else {
                    try reject("geometry", "Point coordinates are not [longitude, latitude] numbers")
                    continue
                }
                cells[keys.count] = JSONValue.number(lat).serialized()
                cells[keys.count + 1] = JSONValue.number(lon).serialized()
            }
            if cells[idColumn] == nil, let fid = feature["id"], fid != .null {
                cells[idColumn] = fid.stringValue ?? fid.serialized()
            }
            let record = StringCells(line: line, cells: cells, raw: { feature.serialized() })
            try rows.dispatch(interpreter.interpret(record), idColumn: map.name(.id), rawRecord: feature.serialized(), body, rejected: rejected)
        }
        return rows.finish()
    }

    /// The line each feature of the top-level `features` array starts on, found by scanning the
    /// raw text (the JSON parser keeps no positions), so rejects point into the file as an
    /// editor shows it. nil when the scan does not find exactly `count` features.
    static func featureLines(_ data: Data, count: Int) -> [Int]? {
        var lines: [Int] = []
        lines.reserveCapacity(count)
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        // Depth at which the root object's arrays sit; objects directly inside them are features
        // (the only other root-level array, bbox, holds numbers).
        for b in data {
            if b == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x22: inString = true
            case 0x7B, 0x5B:  // { [
                if b == 0x7B, depth == 2 { lines.append(line) }
                depth += 1
            case 0x7D, 0x5D: depth -= 1
            default: break
            }
        }
        return lines.count == count ? lines : nil
    }
}

/// Cells held as optional strings (GeoJSON properties).
struct StringCells: IncidentCells {
    let line: Int
    let cells: [String?]
    let raw: () -> String

    func text(_ i: Int) -> String? {
        guard let s = cells[i], !s.isEmpty else { return nil }
        return s
    }
    func number(_ i: Int) -> CSVNumber {
        guard let s = text(i) else { return .empty }
        guard let v = Double(s) else { return .invalid }
        return .value(v)
    }
    func date(_ i: Int) -> CivilDate.ParseOutcome? { text(i).map { CivilDate.parse(utf8: Array($0.utf8)) } }
    var rawRecord: String { raw() }
}
