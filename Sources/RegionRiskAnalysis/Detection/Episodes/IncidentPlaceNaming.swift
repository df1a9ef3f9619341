import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// How one incident is named in its region's label.
public struct IncidentPlaceName: Sendable, Equatable {
    public enum Basis: String, Sendable {
        /// The place as reported, found in the gazetteer near the incident: the gazetteer's spelling.
        case geocoded
        /// The place as reported, cleaned of descriptions ("Dioura (military camp)" → "Dioura").
        case asReported = "as-reported"
        /// No usable report of the place: the distance and direction to the nearest notable place.
        case relative
    }
    public var name: String
    public var basis: Basis
}

/// Names regions from their own incidents: each incident by the place it reports, checked against
/// the gazetteer; an incident with no place reported, by the nearest notable place
/// ("40 km SE of Gogui"). A region is never named after a place none of its incidents names,
/// except through that explicit "… of" form.
public enum IncidentPlaceNaming {
    /// How far from the incident a gazetteer place of the reported name may lie and still be it, km
    /// (the sample's "near X" incidents lie up to ~25 km from X; ACLED's precision 2 is "within 25 km").
    public static let matchRadiusKm = 30.0
    /// Within this distance of a notable place an unnamed incident is named after it, km.
    public static let atPlaceKm = 3.0

    /// The name of one incident.
    /// - Parameter notable: the places a relative name may refer to (towns, curated places).
    public static func name(of incident: Incident, gazetteer: Gazetteer?, notable: [Place]) -> IncidentPlaceName? {
        var keys = NameKeys()
        return name(of: incident, gazetteer: gazetteer, notable: notable, keys: &keys)
    }

    /// The comparison keys of reported names and of gazetteer places' names, each computed once
    /// for all the incidents of a region (its incidents report the same few places, near the
    /// same gazetteer places).
    struct NameKeys {
        /// Per reported place (trimmed): its readings with their core and full keys.
        var readingsByReported: [String: [(text: String, core: String, full: String)]] = [:]
        /// Per GeoNames id: the core and full keys of the place's name, ASCII name and alternate names.
        var keysByPlace: [Int: (core: Set<String>, full: Set<String>)] = [:]

        mutating func readings(of reported: String) -> [(text: String, core: String, full: String)] {
            if let known = readingsByReported[reported] { return known }
            let made = IncidentPlaceNaming.readings(of: reported).map {
                (text: $0, core: PlaceNameNormalizer.coreKey($0), full: PlaceNameNormalizer.fullKey($0))
            }
            readingsByReported[reported] = made
            return made
        }

        mutating func keys(of p: Place) -> (core: Set<String>, full: Set<String>) {
            if let known = keysByPlace[p.geonameID] { return known }
            let names = [p.name, p.asciiName] + p.alternateNames
            let made = (core: Set(names.map(PlaceNameNormalizer.coreKey)), full: Set(names.map(PlaceNameNormalizer.fullKey)))
            keysByPlace[p.geonameID] = made
            return made
        }
    }

    static func name(of incident: Incident, gazetteer: Gazetteer?, notable: [Place], keys: inout NameKeys) -> IncidentPlaceName? {
        let reported = (incident.place ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let candidates = keys.readings(of: reported)
        if let gazetteer, !candidates.isEmpty {
            let nearby = gazetteer.places(near: incident.location, withinKm: matchRadiusKm, limit: 2_000)
            for c in candidates {
                guard !c.core.isEmpty else { continue }
                if let p = nearby.first(where: { keys.keys(of: $0).core.contains(c.core) }) {
                    // The reported spelling when it is one of the place's own names ("Nioro du Sahel",
                    // not the gazetteer's "Nioro"); else the gazetteer's.
                    let own = keys.keys(of: p).full.contains(c.full)
                    return IncidentPlaceName(name: own ? c.text : p.name, basis: .geocoded)
                }
            }
        }
        if let first = candidates.first(where: { !$0.text.contains(",") && !$0.text.contains("(") }) ?? candidates.first {
            return IncidentPlaceName(name: first.text, basis: .asReported)
        }
        guard let place = nearest(notable, to: incident.location) else { return nil }
        let km = GreatCircle.distanceKm(incident.location, place.location)
        if km <= atPlaceKm { return IncidentPlaceName(name: place.name, basis: .relative) }
        return IncidentPlaceName(name: "\(Int(km.rounded())) km \(compassPoint(from: place.location, to: incident.location)) of \(place.name)",
                                 basis: .relative)
    }

    /// Words that describe a site rather than name a place, dropped from the end of a reported name.
    static let siteWords: Set<String> = ["factory", "factories", "plant", "mine", "camp", "base", "post", "airport", "bridge", "school", "brigade"]

    /// The readings of a reported place to try, best first: the name as reported, the geocoder's
    /// readings, and each part of a name listing several ("Diamond Cement Factory, Kayes",
    /// "Gouroundapé / Karaga factories"), with descriptive words dropped.
    static func readings(of reported: String) -> [String] {
        guard !reported.isEmpty else { return [] }
        var out: [String] = []
        func add(_ s: String) {
            var words = s.split(separator: " ").map(String.init)
            while words.count > 1, let last = words.last, siteWords.contains(last.lowercased()) { words.removeLast() }
            let t = words.joined(separator: " ").trimmingCharacters(in: CharacterSet.whitespaces.union(.punctuationCharacters))
            if !t.isEmpty, !out.contains(t), t.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) { out.append(t) }
        }
        // Only readings that are the place itself: a place the name is merely in or near (a
        // cercle, one end of a road, "30 km from X") would name the incident after somewhere else.
        let itself = ReportedPlaceName.weightedReadings(of: reported).filter { $0.trust >= ReportedPlaceName.Trust.alternative }
        for r in [reported] + itself.map(\.text) {
            add(r)
            for piece in r.split(whereSeparator: { $0 == "," || $0 == "/" }) where piece.count < r.count {
                add(ReportedPlaceName.stripQualifiers(String(piece)))
            }
        }
        return out
    }

    /// Up to `limit` distinct names for a region's incidents: the most often named first, then the
    /// deadliest, then the earliest.
    public static func regionNames(_ incidents: [Incident], gazetteer: Gazetteer?, notable: [Place], limit: Int) -> [String] {
        var tally: [String: (count: Int, fatalities: Double, first: Int)] = [:]
        var keys = NameKeys()
        for (k, e) in incidents.enumerated() {
            guard let n = name(of: e, gazetteer: gazetteer, notable: notable, keys: &keys)?.name else { continue }
            let old = tally[n] ?? (0, 0, k)
            tally[n] = (old.count + 1, old.fatalities + (e.fatalities ?? 0), old.first)
        }
        return tally.sorted { a, b in
            (-a.value.count, -a.value.fatalities, a.value.first) < (-b.value.count, -b.value.fatalities, b.value.first)
        }.prefix(max(0, limit)).map(\.key)
    }

    /// The first of the places nearest to `point` (each distance computed once).
    static func nearest(_ places: [Place], to point: LonLat) -> Place? {
        var best: Int?, bestKm = 0.0
        for i in places.indices {
            let km = GreatCircle.distanceKm(point, places[i].location)
            if best == nil || km < bestKm { best = i; bestKm = km }
        }
        return best.map { places[$0] }
    }

    /// The 8-point compass direction of `to` seen from `from` ("SE").
    static func compassPoint(from a: LonLat, to b: LonLat) -> String {
        let dx = (b.lon - a.lon) * cos((a.lat + b.lat) / 2 * .pi / 180), dy = b.lat - a.lat
        let bearing = (atan2(dx, dy) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360)
        let points = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]
        return points[Int(((bearing + 22.5) / 45).rounded(.down)) % 8]
    }
}

extension RegionNamer {
    /// Names for a region from its own incidents; the default has no gazetteer and uses the
    /// places as reported.
    public func incidentPlaceNames(_ incidents: [Incident], limit: Int) -> [String] {
        IncidentPlaceNaming.regionNames(incidents, gazetteer: nil, notable: [], limit: limit)
    }
}

extension GazetteerRegionNamer {
    /// Names for a region from its own incidents, checked against the gazetteer; incidents with no
    /// place reported are named relative to the nearest notable place (curated, or populated).
    public func incidentPlaceNames(_ incidents: [Incident], limit: Int) -> [String] {
        IncidentPlaceNaming.regionNames(incidents, gazetteer: gazetteer, notable: notablePlaces, limit: limit)
    }

    /// The places a relative name may refer to: the curated ones when there are any, else every
    /// populated place with a population on record — never an arbitrary hamlet.
    var notablePlaces: [Place] {
        guard let gazetteer else { return [] }
        let curated = gazetteer.places.filter { notable.contains($0.geonameID) && $0.isPopulatedPlace }
        return curated.isEmpty ? gazetteer.places.filter { $0.isPopulatedPlace && $0.population > 0 } : curated
    }
}
