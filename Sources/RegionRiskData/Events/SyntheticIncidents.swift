import Foundation
import RegionRiskBase

/// Deterministic synthetic incidents over Mali, for benchmarks and `regionrisk bench`.
///
/// The same mixture as the peer harness (`../shared/peers/gen_events.py`): about 85% of events in
/// Gaussian clusters around real towns (spread given in km), 15% uniform over Mali's bounding box
/// (lon −12.3…4.3, lat 10.1…25.0); dates uniform over 2023–2024. Same (count, seed) → same events.
/// Not bit-identical to the Python generator (different random streams), statistically alike.
package enum SyntheticIncidents {
    /// The peer harness's towns (`ACLEDFileGenerator.towns`: one table for both generators).
    static var towns: [ACLEDFileGenerator.Town] { ACLEDFileGenerator.towns }
    static let bbox = (lonMin: -12.3, lonMax: 4.3, latMin: 10.1, latMax: 25.0)

    package static func generate(count: Int, seed: UInt64 = 20240601) -> [Incident] {
        var rng = SplitMix64(seed: seed)
        let weights = towns.map(\.weight)
        let start = CivilDate(year: 2023, month: 1, day: 1)!
        let types = ["Battles", "Violence against civilians", "Explosions/Remote violence", "Strategic developments"]
        var out: [Incident] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            var lon: Double, lat: Double, place: String
            if rng.nextDouble() < 0.15 {
                lon = bbox.lonMin + rng.nextDouble() * (bbox.lonMax - bbox.lonMin)
                lat = bbox.latMin + rng.nextDouble() * (bbox.latMax - bbox.latMin)
                place = "Rural"
            } else {
                let t = towns[rng.pick(weights: weights)]
                repeat {
                    lat = t.lat + rng.nextGaussian() * t.spreadKm / 111.32
                    lon = t.lon + rng.nextGaussian() * t.spreadKm / (111.32 * cos(t.lat * .pi / 180))
                } while lon < bbox.lonMin || lon > bbox.lonMax || lat < bbox.latMin || lat > bbox.latMax
                place = t.name
            }
            let type = types[Int(rng.nextDouble() * Double(types.count)) % types.count]
            out.append(Incident(source: "synthetic", sourceEventID: String(format: "SYN%07d", i + 1),
                                date: start.adding(days: Int(rng.nextDouble() * 731) % 731),
                                location: LonLat(lon: lon, lat: lat), locationPrecision: .exact, place: place,
                                eventType: type, fatalities: Double(Int(-log(1 - rng.nextDouble()) * 1.5))))
        }
        return out
    }
}
