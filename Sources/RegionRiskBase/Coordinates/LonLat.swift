/// A position in (longitude, latitude) order, degrees on WGS 84, as RFC 7946 requires.
public struct LonLat: Sendable, Hashable {
    /// Degrees east, −180…180.
    public var lon: Double
    /// Degrees north, −90…90.
    public var lat: Double
    public init(lon: Double, lat: Double) { self.lon = lon; self.lat = lat }
    public init(_ lon: Double, _ lat: Double) { self.lon = lon; self.lat = lat }
}
