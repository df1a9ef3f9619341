import Foundation
import RegionRiskBase
import RegionRiskGeodata
@testable import RegionRiskData

/// The gazetteer the geocoder and row targets resolve names against: a fixed 400 of the embedded
/// Mali gazetteer's places (the most populous first, then by id), built once in
/// LLVMFuzzerInitialize, so that an execution's cost is the code under test rather than
/// candidate lists from 18k places; the code paths (exact, alternate, normalised and fuzzy
/// matches, namesakes, hints) are the same on 400.
enum FuzzGazetteer {
    static let placeCount = 400

    static let small: Gazetteer = {
        guard let full = try? Gazetteer.embeddedMali() else {
            fatalError("the embedded gazetteer did not load from \(EmbeddedGeodata.maliDirectory.path)")
        }
        let chosen = full.places.sorted { ($0.population, -$0.geonameID) > ($1.population, -$1.geonameID) }.prefix(placeCount)
        return Gazetteer(places: Array(chosen))
    }()
}
