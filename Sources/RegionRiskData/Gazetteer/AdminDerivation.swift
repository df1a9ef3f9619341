import Foundation
import RegionRiskBase

/// Gives places of an imported dump the admin-1 region and cercle derived from their points.
///
/// GeoNames files about 7% of Mali's places under admin-1 "00" (unknown) and some under a region
/// their point is not in; a region hint then works against the user. The embedded gazetteer's
/// places carry the region and cercle their point lies in (computed by
/// `Geodata/scripts/build_mali_gazetteer.py` against the polygons). A dump place takes them:
/// - from the embedded place with the same geonameid (same point), else
/// - from the nearest embedded place within `maximumNeighbourKm`, when the dump's own code is
///   unknown or disagrees with that neighbour's (a nearest-neighbour guess: near a boundary it
///   can pick the wrong side).
/// Places of other countries, and places farther from every embedded one, keep their codes,
/// except "00" (unknown), which becomes an empty code as in the embedded gazetteer.
enum AdminDerivation {
    /// How far the nearest embedded place may be for its region and cercle to be borrowed, km.
    static let maximumNeighbourKm = 10.0

    static func derive(_ places: [Place], from reference: [Place]) -> [Place] {
        let withAdmin = reference.filter { $0.admin2Name != nil && !$0.admin1Code.isEmpty }
        guard !withAdmin.isEmpty else { return places }
        var byID: [Int: Int] = [:]
        byID.reserveCapacity(withAdmin.count)
        for (i, p) in withAdmin.enumerated() { byID[p.geonameID] = i }
        let countries = Set(withAdmin.map(\.countryCode))
        // Buckets of 0.25° (about 28 km): the nearest place within 10 km is in the 3×3 around.
        let cell = 0.25
        func bucket(_ p: LonLat) -> Int64 {
            Int64((p.lon / cell).rounded(.down)) &* 100_000 &+ Int64((p.lat / cell).rounded(.down))
        }
        var buckets: [Int64: [Int]] = [:]
        for (i, p) in withAdmin.enumerated() { buckets[bucket(p.location), default: []].append(i) }

        var out = places
        for i in out.indices where countries.contains(out[i].countryCode) && out[i].admin2Name == nil {
            let p = out[i]
            var source: Place?
            if let j = byID[p.geonameID] {
                source = withAdmin[j]
            } else {
                var best: (km: Double, index: Int)?
                let bx = (p.location.lon / cell).rounded(.down), by = (p.location.lat / cell).rounded(.down)
                for dx in -1...1 {
                    for dy in -1...1 {
                        let key = Int64(bx + Double(dx)) &* 100_000 &+ Int64(by + Double(dy))
                        for j in buckets[key] ?? [] {
                            let km = GreatCircle.distanceKm(p.location, withAdmin[j].location)
                            if km <= maximumNeighbourKm, best.map({ km < $0.km }) ?? true { best = (km, j) }
                        }
                    }
                }
                if let best { source = withAdmin[best.index] }
            }
            guard let s = source else {
                // Nothing to borrow from (a point outside every region): "00" is GeoNames'
                // "unknown", which a region hint must not count against the place — unknown, as
                // the embedded gazetteer has it.
                if p.admin1Code == "00" {
                    out[i].sourceAdmin1Code = "00"
                    out[i].admin1Code = ""
                    out[i].admin1Name = nil
                }
                continue
            }
            if s.admin1Code != p.admin1Code {
                out[i].sourceAdmin1Code = p.admin1Code.isEmpty ? "00" : p.admin1Code
                out[i].admin1Code = s.admin1Code
                out[i].admin1Name = s.admin1Name
            }
            out[i].admin2Name = s.admin2Name
        }
        return out
    }
}
