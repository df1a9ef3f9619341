import Foundation
import RegionRiskBase

/// Reader for the embedded compact gazetteer (`Geodata/mali/gazetteer/ML-gazetteer.tsv`, built
/// by `Geodata/scripts/build_mali_gazetteer.py` from the GeoNames dump, CC BY 4.0).
///
/// UTF-8, one place per line, 11 tab-separated columns: geonameid, name, ASCII name (empty when
/// equal to the name), alternate names (comma-separated), latitude, longitude, "class.code"
/// ("P.PPLA2"), admin-1 code derived from the point, GeoNames' own admin-1 code when it differs
/// (else empty), cercle name, population. Lines starting with '#' are comments.
enum CompactGazetteerFile {
    static let columnCount = 11

    static func read(_ url: URL, source: String, countryCode: String = "ML", admin1Names: Admin1Names = .mali) throws -> [Place] {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw GazetteerError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        return try parse(data, path: url.path, source: source, countryCode: countryCode, admin1Names: admin1Names)
    }

    static func parse(_ data: Data, path: String, source: String, countryCode: String, admin1Names: Admin1Names) throws -> [Place] {
        var places: [Place] = []
        places.reserveCapacity(data.count / 60)
        // Repeated short strings (codes, cercle names) shared rather than allocated per row.
        var interned: [String: String] = [:]
        func intern(_ s: String) -> String {
            if let t = interned[s] { return t }
            interned[s] = s
            return s
        }
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            try TabSeparatedRows.forEach(in: bytes, expectedColumns: columnCount) { lineNumber, fields in
                func bad(_ reason: String) -> GazetteerError {
                    .malformedRow(path: path, line: lineNumber, reason: reason + " (compact gazetteer: \(columnCount) columns)")
                }
                guard fields.count == columnCount else { throw bad("\(fields.count) columns") }
                func text(_ c: Int) throws -> String {
                    guard let s = String(validating: UnsafeBufferPointer(rebasing: bytes[fields[c]]), as: UTF8.self) else {
                        throw bad("column \(c + 1) is not valid UTF-8")
                    }
                    return s
                }
                guard let id = Int(try text(0)), let lat = Double(try text(4)), let lon = Double(try text(5)),
                      lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else {
                    throw bad("geonameid, latitude or longitude is not a number in range")
                }
                let name = try text(1)
                guard !name.isEmpty else { throw bad("empty name") }
                let ascii = try text(2)
                let kind = try text(6)
                let dot = kind.firstIndex(of: ".") ?? kind.endIndex
                let admin1 = intern(try text(7))
                let cercle = try text(9)
                places.append(Place(
                    geonameID: id, name: name, asciiName: ascii.isEmpty ? name : ascii,
                    alternateNames: try text(3).split(separator: ",").map(String.init),
                    location: LonLat(lon: lon, lat: lat), featureClass: intern(String(kind[..<dot])),
                    featureCode: intern(dot < kind.endIndex ? String(kind[kind.index(after: dot)...]) : ""),
                    countryCode: countryCode, admin1Code: admin1,
                    admin1Name: admin1Names.name(country: countryCode, code: admin1),
                    population: max(0, Int(try text(10)) ?? 0), source: source,
                    admin2Name: cercle.isEmpty ? nil : intern(cercle), sourceAdmin1Code: intern(try text(8))))
            }
        }
        guard !places.isEmpty else { throw GazetteerError.empty(path: path) }
        return places
    }
}
