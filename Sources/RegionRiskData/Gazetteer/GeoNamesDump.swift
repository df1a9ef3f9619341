import Foundation
import RegionRiskBase

/// Errors from reading gazetteer files. Messages name the file and line.
public enum GazetteerError: LocalizedError, Sendable, Equatable {
    case unreadable(path: String, reason: String)
    case malformedRow(path: String, line: Int, reason: String)
    case empty(path: String)
    case download(url: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read the gazetteer: \(reason)"
        case let .malformedRow(path, line, reason):
            return "\(path), line \(line): \(reason) (expected a GeoNames dump: 19 tab-separated columns, UTF-8)"
        case let .empty(path): return "\(path): no places in the file (expected a GeoNames country dump such as ML.txt)"
        case let .download(url, reason): return "downloading \(url) failed: \(reason)"
        }
    }
}

/// Reader for GeoNames dump files (`ML.txt`, `allCountries.txt`, `cities500.txt`): UTF-8, one
/// place per line, 19 tab-separated columns — geonameid, name, asciiname, alternatenames
/// (comma-separated), latitude, longitude, feature class, feature code, country code, cc2,
/// admin1…admin4 codes, population, elevation, dem, timezone, modification date.
/// See https://download.geonames.org/export/dump/readme.txt. Lines starting with '#' are
/// comments (the embedded files use them for provenance; GeoNames' own dumps have none).
public enum GeoNamesDump {
    static let columnCount = 19

    /// Reads the file at `url`; `source` is recorded in each place (default "geonames:<file name>").
    package static func read(_ url: URL, source: String? = nil, admin1Names: Admin1Names = .mali) throws -> [Place] {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw GazetteerError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        return try parse(data, path: url.path, source: source ?? "geonames:\(url.lastPathComponent)", admin1Names: admin1Names)
    }

    /// Parses dump text. Any malformed row fails the whole read with its line number: a
    /// half-read gazetteer would silently lose places.
    package static func parse(_ data: Data, path: String, source: String, admin1Names: Admin1Names = .mali) throws -> [Place] {
        var places: [Place] = []
        places.reserveCapacity(data.count / 100)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            try TabSeparatedRows.forEach(in: bytes, expectedColumns: columnCount) { lineNumber, fields in
                guard fields.count == columnCount else {
                    throw GazetteerError.malformedRow(path: path, line: lineNumber, reason: "\(fields.count) columns")
                }
                func text(_ column: Int, _ label: String) throws -> String {
                    let r = fields[column]
                    guard let s = String(validating: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) else {
                        throw GazetteerError.malformedRow(path: path, line: lineNumber, reason: "\(label) is not valid UTF-8")
                    }
                    return s
                }
                func number<T: LosslessStringConvertible>(_ column: Int, _ label: String, default value: T?) throws -> T {
                    let s = try text(column, label)
                    if s.isEmpty, let value { return value }
                    guard let x = T(s) else {
                        throw GazetteerError.malformedRow(path: path, line: lineNumber, reason: "\(label) '\(s.prefix(40))' is not a number")
                    }
                    return x
                }
                let id: Int = try number(0, "geonameid", default: nil)
                let name = try text(1, "name")
                guard !name.isEmpty else {
                    throw GazetteerError.malformedRow(path: path, line: lineNumber, reason: "empty name for geonameid \(id)")
                }
                var ascii = try text(2, "asciiname")
                if ascii.isEmpty { ascii = name }
                let alternates = try text(3, "alternatenames").split(separator: ",").map(String.init)
                let lat: Double = try number(4, "latitude", default: nil)
                let lon: Double = try number(5, "longitude", default: nil)
                guard lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else {
                    throw GazetteerError.malformedRow(path: path, line: lineNumber, reason: "coordinates \(lat), \(lon) out of range")
                }
                let country = try text(8, "country code")
                let admin1 = try text(10, "admin1 code")
                let population: Int = try number(14, "population", default: 0)
                places.append(Place(
                    geonameID: id, name: name, asciiName: ascii, alternateNames: alternates,
                    location: LonLat(lon: lon, lat: lat), featureClass: try text(6, "feature class"),
                    featureCode: try text(7, "feature code"), countryCode: country, admin1Code: admin1,
                    admin1Name: nil, admin2Code: try text(11, "admin2 code"), population: max(0, population),
                    source: source))
            }
        }
        guard !places.isEmpty else { throw GazetteerError.empty(path: path) }
        var names = admin1Names
        names.learn(from: places)
        for i in places.indices {
            places[i].admin1Name = names.name(country: places[i].countryCode, code: places[i].admin1Code)
        }
        return places
    }
}
