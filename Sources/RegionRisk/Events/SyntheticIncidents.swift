import Foundation

/// Deterministic synthetic incidents over Mali, for benchmarks and `regionrisk bench`.
///
/// The same mixture as the peer harness (`../shared/peers/gen_events.py`): about 85% of events in
/// Gaussian clusters around real towns (spread given in km), 15% uniform over Mali's bounding box
/// (lon −12.3…4.3, lat 10.1…25.0); dates uniform over 2023–2024. Same (count, seed) → same events.
/// Not bit-identical to the Python generator (different random streams), statistically alike.
public enum SyntheticIncidents {
    /// (name, lat, lon, relative weight, spread σ in km), as in the peer harness.
    static let towns: [(String, Double, Double, Double, Double)] = [
        ("Bamako", 12.65, -8.00, 0.14, 15.0), ("Mopti", 14.49, -4.20, 0.14, 35.0),
        ("Gao", 16.27, -0.04, 0.11, 30.0), ("Timbuktu", 16.77, -3.01, 0.09, 30.0),
        ("Kidal", 18.44, 1.41, 0.06, 40.0), ("Kayes", 14.45, -11.44, 0.04, 25.0),
        ("Segou", 13.43, -6.26, 0.10, 30.0), ("Sikasso", 11.32, -5.67, 0.05, 25.0),
        ("Menaka", 15.92, 2.40, 0.10, 35.0), ("Nioro du Sahel", 15.23, -9.59, 0.05, 25.0),
        ("Dioura", 14.85, -5.25, 0.12, 20.0),
    ]
    static let bbox = (lonMin: -12.3, lonMax: 4.3, latMin: 10.1, latMax: 25.0)

    public static func generate(count: Int, seed: UInt64 = 20240601) -> [Incident] {
        var rng = SplitMix64(seed: seed)
        let totalWeight = towns.reduce(0) { $0 + $1.3 }
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
                var pick = rng.nextDouble() * totalWeight
                var t = towns[towns.count - 1]
                for town in towns {
                    pick -= town.3
                    if pick < 0 { t = town; break }
                }
                repeat {
                    lat = t.1 + rng.nextGaussian() * t.4 / 111.32
                    lon = t.2 + rng.nextGaussian() * t.4 / (111.32 * cos(t.1 * .pi / 180))
                } while lon < bbox.lonMin || lon > bbox.lonMax || lat < bbox.latMin || lat > bbox.latMax
                place = t.0
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
