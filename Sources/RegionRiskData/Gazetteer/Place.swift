import Foundation
import RegionRiskBase

/// A named place from a gazetteer, in the GeoNames model.
///
/// Coordinates are (longitude, latitude) in WGS 84 degrees. Feature classes and codes follow
/// GeoNames (https://www.geonames.org/export/codes.html): class "P" populated places (codes PPLC
/// capital, PPLA…PPLA4 seats of administrative divisions, PPL), "A" administrative divisions,
/// "H" water, "T" relief, "S" spots and buildings, "L" areas, "V" vegetation, "R" roads.
public struct Place: Sendable, Hashable {
    /// GeoNames id (https://www.geonames.org/<id>).
    public var geonameID: Int
    /// The name as GeoNames writes it, with diacritics ("Ségou").
    public var name: String
    /// Plain-ASCII form of the name ("Segou").
    public var asciiName: String
    /// Other names and spellings (English/French forms, local orthographies, codes).
    public var alternateNames: [String]
    /// (lon, lat) degrees.
    public var location: LonLat
    /// GeoNames feature class, one letter ("P"); empty when unknown.
    public var featureClass: String
    /// GeoNames feature code ("PPLA"); empty when the source does not say.
    public var featureCode: String
    /// ISO 3166-1 alpha-2 country code ("ML").
    public var countryCode: String
    /// GeoNames admin-1 code ("04" for Mopti in Mali); empty when unknown.
    public var admin1Code: String
    /// The admin-1 region's name ("Mopti"), or nil when the code is unknown.
    public var admin1Name: String?
    /// GeoNames admin-2 code; empty when unknown.
    public var admin2Code: String
    /// Inhabitants as recorded by the source; 0 when unknown.
    public var population: Int
    /// Which data set the place came from, e.g. "geonames-ML-compact", "geonames:ML.txt".
    public var source: String
    /// The cercle (second-order division, OCHA COD-AB name, e.g. "Bankass") the point lies in;
    /// nil when not known (places of other countries' dumps).
    public var admin2Name: String?
    /// The source's own admin-1 code when `admin1Code` was derived from the point and differs
    /// from it ("00" unknown, or a newer region such as Ménaka "12070577"); empty otherwise.
    public var sourceAdmin1Code: String

    public init(
        geonameID: Int, name: String, asciiName: String, alternateNames: [String] = [], location: LonLat,
        featureClass: String, featureCode: String, countryCode: String = "", admin1Code: String,
        admin1Name: String?, admin2Code: String = "", population: Int = 0, source: String,
        admin2Name: String? = nil, sourceAdmin1Code: String = ""
    ) {
        self.geonameID = geonameID
        self.name = name
        self.asciiName = asciiName
        self.alternateNames = alternateNames
        self.location = location
        self.featureClass = featureClass
        self.featureCode = featureCode
        self.countryCode = countryCode
        self.admin1Code = admin1Code
        self.admin1Name = admin1Name
        self.admin2Code = admin2Code
        self.population = population
        self.source = source
        self.admin2Name = admin2Name
        self.sourceAdmin1Code = sourceAdmin1Code
    }

    /// The admin-1 keys ("CC.code") this place belongs to: its (derived) region, plus the
    /// source's code for a newer region the derived one predates (Ménaka within Gao).
    var admin1Keys: [String] {
        var keys = admin1Code.isEmpty ? [] : ["\(countryCode).\(admin1Code)"]
        // Only a region newer than the derived one (GeoNames gives those their geonameid as
        // code); an old code the point disagrees with is GeoNames' mistake, not another level.
        if sourceAdmin1Code.count > 2 { keys.append("\(countryCode).\(sourceAdmin1Code)") }
        return keys
    }

    /// True for populated places (class P).
    public var isPopulatedPlace: Bool { featureClass == "P" }

    /// True for administrative divisions and countries (class A).
    public var isAdministrativeArea: Bool { featureClass == "A" }

    /// True for a country or other political entity (codes PCL…), e.g. "Republic of Mali".
    public var isCountry: Bool { featureClass == "A" && featureCode.hasPrefix("PCL") }

    /// How prominent the kind of feature is, 0…1: the capital outranks a regional seat, which
    /// outranks a district seat, a village, an administrative area, then areas and natural
    /// features (streams, hills, wells, ruins: 0).
    /// Used to break ties between places of the same name.
    public var featureRank: Double {
        switch featureClass {
        case "P":
            switch featureCode {
            case "PPLC": return 1.0
            case "PPLA": return 0.85
            case "PPLA2": return 0.7
            case "PPLA3": return 0.6
            case "PPLA4", "PPLA5", "PPLG": return 0.55
            case "PPLH", "PPLQ", "PPLW": return 0.2  // historical, abandoned, destroyed
            default: return 0.45
            }
        case "A": return featureCode.hasPrefix("PCL") ? 0.35 : 0.3
        case "L": return 0.1
        // Streams, hills, wells, ruins: rarely what a place name in a report means.
        default: return 0
        }
    }

    /// A short human description of the feature type ("regional capital", "village").
    public var featureDescription: String {
        switch (featureClass, featureCode) {
        case ("P", "PPLC"): return "national capital"
        case ("P", "PPLA"): return "seat of a first-order division"
        case ("P", "PPLA2"): return "seat of a second-order division"
        case ("P", "PPLA3"), ("P", "PPLA4"), ("P", "PPLA5"): return "seat of a lower-order division"
        case ("P", "PPLH"): return "historical populated place"
        case ("P", "PPLQ"): return "abandoned populated place"
        case ("P", _): return "populated place"
        case ("A", "ADM1"): return "first-order division"
        case ("A", "ADM2"): return "second-order division"
        case ("A", let c) where c.hasPrefix("ADM"): return "administrative division"
        case ("A", let c) where c.hasPrefix("PCL"): return "country"
        case ("A", _): return "administrative area"
        case ("H", _): return "water feature"
        case ("T", _): return "relief feature"
        case ("S", _): return "spot or building"
        case ("L", _): return "area"
        case ("V", _): return "vegetation"
        case ("R", _): return "road or railway"
        default: return "place"
        }
    }

    /// "Kayes (Kayes)" style label: the name and, when known, its admin-1 region.
    public var label: String {
        if let admin1Name, !admin1Name.isEmpty { return "\(name), \(admin1Name)" }
        return name
    }
}
