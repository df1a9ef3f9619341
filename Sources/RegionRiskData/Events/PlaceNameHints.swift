import Foundation

/// What an incident row says about where a place name is, besides the name: its admin-1 and
/// admin-2 columns and free text (ACLED `notes`) whose proximity phrases locate it.
public struct PlaceNameHints: Sendable, Hashable {
    /// A region ("Mopti", "Ménaka", "Bandiagara").
    public var admin1: String?
    /// A cercle ("Bankass"; ACLED `admin2`, UCDP `adm_2`).
    public var admin2: String?
    /// Free text about the event ("… about 30 km from Gao …").
    public var text: String?

    public init(admin1: String? = nil, admin2: String? = nil, text: String? = nil) {
        self.admin1 = admin1
        self.admin2 = admin2
        self.text = text
    }
}
