import CGEOS
import Foundation

/// The kinds of geometry GEOS stores (`GEOSGeomTypes`).
package enum GeometryType: Int32, Sendable {
    case point = 0, lineString, linearRing, polygon, multiPoint, multiLineString, multiPolygon, geometryCollection

    package var name: String {
        switch self {
        case .point: "Point"
        case .lineString: "LineString"
        case .linearRing: "LinearRing"
        case .polygon: "Polygon"
        case .multiPoint: "MultiPoint"
        case .multiLineString: "MultiLineString"
        case .multiPolygon: "MultiPolygon"
        case .geometryCollection: "GeometryCollection"
        }
    }
}

/// How `makeValid(method:keepCollapsed:)` repairs (`GEOSMakeValidMethods`).
package enum MakeValidMethod: Sendable {
    /// Nodes all lines and rebuilds areas by parity: overlapping parts cancel out; collapsed
    /// parts are kept as lines/points. GEOSMakeValid's default (as PostGIS ST_MakeValid).
    case linework
    /// Unions exterior rings and subtracts holes: overlapping parts merge, which is what a
    /// user drawing an area means; collapsed parts are dropped unless `keepCollapsed`.
    case structure
}

/// An immutable GEOS geometry. Owns its `GEOSGeometry*` (destroyed in deinit) and keeps the
/// context it was made in alive; every operation runs in that context, so use a geometry only
/// on the thread that made it. Coordinates are planar, in whatever CRS the caller uses
/// (x = lon, y = lat when they are geographic).
package final class Geometry {
    let context: GEOSContext
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(owning pointer: OpaquePointer, context: GEOSContext) {
        self.pointer = pointer
        self.context = context
    }

    deinit {
        GEOSGeom_destroy_r(context.handle, pointer)
    }

    private var h: OpaquePointer { context.handle }

    /// Wraps a newly allocated result of a GEOS call, or throws with GEOS's message when it is NULL.
    private func owned(_ result: OpaquePointer?, _ what: @autoclosure () -> String) throws -> Geometry {
        guard let result else { throw context.error(what()) }
        return Geometry(owning: result, context: context)
    }

    // MARK: - Creation

    /// A geometry from its plain structure (`Shape`). Polygon rings are closed if needed.
    /// The GeoJSON bridge (RegionRiskGeoJSON) maps GeoJSON geometries onto this.
    package convenience init(shape: Shape, context: GEOSContext = .current) throws {
        self.init(owning: try Build.geometry(shape, context), context: context)
    }

    /// A polygon from rings (the first is the exterior, the rest holes); open rings are closed.
    /// No rings gives an empty polygon.
    package static func polygon(rings: [[(x: Double, y: Double)]], context: GEOSContext = .current) throws -> Geometry {
        Geometry(owning: try Build.polygon(rings, context), context: context)
    }

    /// An axis-aligned rectangle, counter-clockwise from (minX, minY).
    package static func rectangle(minX: Double, minY: Double, maxX: Double, maxY: Double, context: GEOSContext = .current) throws -> Geometry {
        guard [minX, minY, maxX, maxY].allSatisfy(\.isFinite), minX <= maxX, minY <= maxY else {
            throw GEOSError("cannot make a rectangle from x \(minX)…\(maxX), y \(minY)…\(maxY)")
        }
        guard let p = GEOSGeom_createRectangle_r(context.handle, minX, minY, maxX, maxY) else {
            throw context.error("cannot make a rectangle")
        }
        return Geometry(owning: p, context: context)
    }

    package static func point(x: Double, y: Double, context: GEOSContext = .current) throws -> Geometry {
        Geometry(owning: try Build.point(x, y, context), context: context)
    }

    /// A collection of copies of `parts` (the parts stay owned by their objects): a MultiPolygon
    /// when all are polygons, MultiLineString/MultiPoint likewise, else a GeometryCollection.
    /// Runs in the first part's context (`.current` when there are none).
    package static func collection(_ parts: [Geometry]) throws -> Geometry {
        let context = parts.first?.context ?? .current
        let h = context.handle
        let types = try parts.map { try $0.type() }
        let kind: GeometryType =
            types.isEmpty ? .geometryCollection
            : types.allSatisfy({ $0 == .polygon }) ? .multiPolygon
            : types.allSatisfy({ $0 == .lineString }) ? .multiLineString
            : types.allSatisfy({ $0 == .point }) ? .multiPoint
            : .geometryCollection
        var copies: [OpaquePointer] = []
        copies.reserveCapacity(parts.count)
        for part in parts {
            guard let c = GEOSGeom_clone_r(h, part.pointer) else {
                copies.forEach { GEOSGeom_destroy_r(h, $0) }
                throw context.error("cannot copy a part of a collection")
            }
            copies.append(c)
        }
        return Geometry(owning: try Build.collection(kind, copies, context), context: context)
    }

    /// A geometry from WKT, e.g. "POLYGON ((0 0, 1 0, 1 1, 0 0))".
    package convenience init(wkt: String, context: GEOSContext = .current) throws {
        let reader = try context.wktReader()
        guard let p = GEOSWKTReader_read_r(context.handle, reader, wkt) else {
            throw context.error("cannot read WKT \"\(wkt.prefix(80))\"")
        }
        self.init(owning: p, context: context)
    }

    // MARK: - Export

    /// The geometry's plain structure, coordinates as stored (no range check, no rewinding).
    /// An empty point has no such form and throws.
    package func shape() throws -> Shape {
        try Read(context: context).shape(pointer)
    }

    /// The polygonal parts: each polygon as its rings (exterior first), each ring closed.
    /// Lines and points are skipped; a geometry with no area gives [].
    package func polygons() throws -> [[[(x: Double, y: Double)]]] {
        var out: [[[(x: Double, y: Double)]]] = []
        try Read(context: context).polygons(pointer, into: &out)
        return out
    }

    /// WKT with trailing zeros trimmed; a description of the failure if GEOS cannot write it.
    package var wkt: String {
        do {
            let writer = try context.wktWriter()
            guard let text = GEOSWKTWriter_write_r(h, writer, pointer) else {
                return "<\(context.error("cannot write WKT").message)>"
            }
            defer { GEOSFree_r(h, text) }
            return String(cString: text)
        } catch {
            return "<\(error.localizedDescription)>"
        }
    }

    // MARK: - Measures and predicates

    package func type() throws -> GeometryType {
        let id = GEOSGeomTypeId_r(h, pointer)
        guard let t = GeometryType(rawValue: id) else { throw context.error("cannot read the geometry type") }
        return t
    }

    /// Planar area in squared CRS units (m² in a metric projection, degree² on lon/lat).
    package func area() throws -> Double {
        var a = 0.0
        guard GEOSArea_r(h, pointer, &a) == 1 else { throw context.error("cannot compute the area") }
        return a
    }

    package func isValid() throws -> Bool {
        try predicate(GEOSisValid_r(h, pointer), "cannot check validity")
    }

    /// GEOS's explanation of invalidity, e.g. "Self-intersection[1 1]", or "Valid Geometry".
    package func validityReason() throws -> String {
        guard let text = GEOSisValidReason_r(h, pointer) else { throw context.error("cannot check validity") }
        defer { GEOSFree_r(h, text) }
        return String(cString: text)
    }

    package func isEmpty() throws -> Bool {
        try predicate(GEOSisEmpty_r(h, pointer), "cannot check emptiness")
    }

    /// True when `other` lies in the interior of self; a point on the boundary is not contained.
    package func contains(_ other: Geometry) throws -> Bool {
        try predicate(GEOSContains_r(h, pointer, other.pointer), "cannot test containment")
    }

    /// Like contains, but boundary points count as covered.
    package func covers(_ other: Geometry) throws -> Bool {
        try predicate(GEOSCovers_r(h, pointer, other.pointer), "cannot test coverage")
    }

    package func intersects(_ other: Geometry) throws -> Bool {
        try predicate(GEOSIntersects_r(h, pointer, other.pointer), "cannot test intersection")
    }

    /// Topological equality (same point set, whatever the vertex order).
    package func equals(_ other: Geometry) throws -> Bool {
        try predicate(GEOSEquals_r(h, pointer, other.pointer), "cannot test equality")
    }

    /// Minimum planar distance in CRS units (0 when they intersect).
    package func distance(to other: Geometry) throws -> Double {
        var d = 0.0
        guard GEOSDistance_r(h, pointer, other.pointer, &d) == 1 else { throw context.error("cannot compute a distance") }
        return d
    }

    /// The bounding box. Throws for an empty geometry, which has none.
    package func bounds() throws -> (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        if try isEmpty() { throw GEOSError("an empty geometry has no bounds") }
        var b = (minX: 0.0, minY: 0.0, maxX: 0.0, maxY: 0.0)
        guard GEOSGeom_getExtent_r(h, pointer, &b.minX, &b.minY, &b.maxX, &b.maxY) == 1 else {
            throw context.error("cannot compute the bounds")
        }
        return b
    }

    /// Parts of a collection (0 when it is empty); always 1 for a single Point/LineString/Polygon.
    package var numGeometries: Int {
        Int(max(0, GEOSGetNumGeometries_r(h, pointer)))
    }

    /// Total number of coordinates (including each ring's closing one).
    package var numCoordinates: Int {
        Int(max(0, GEOSGetNumCoordinates_r(h, pointer)))
    }

    /// GEOS predicates return 1 true, 0 false, 2 on exception.
    private func predicate(_ value: CChar, _ what: @autoclosure () -> String) throws -> Bool {
        switch value {
        case 1: return true
        case 0: return false
        default: throw context.error(what())
        }
    }

    // MARK: - Operations

    /// A valid version (GEOS's linework method, collapsed parts kept): may mix polygons with lines
    /// or points; see `polygonalParts()` and `repairedPolygonal()`.
    package func makeValid() throws -> Geometry {
        try owned(GEOSMakeValid_r(h, pointer), "cannot make the geometry valid")
    }

    package func makeValid(method: MakeValidMethod, keepCollapsed: Bool) throws -> Geometry {
        guard let params = GEOSMakeValidParams_create_r(h) else { throw context.error("cannot make the geometry valid") }
        defer { GEOSMakeValidParams_destroy_r(h, params) }
        let m = method == .linework ? GEOS_MAKE_VALID_LINEWORK : GEOS_MAKE_VALID_STRUCTURE
        guard GEOSMakeValidParams_setMethod_r(h, params, m) == 1,
            GEOSMakeValidParams_setKeepCollapsed_r(h, params, keepCollapsed ? 1 : 0) == 1
        else { throw context.error("cannot set make-valid parameters") }
        return try owned(GEOSMakeValidWithParams_r(h, pointer, params), "cannot make the geometry valid")
    }

    package func union(_ other: Geometry) throws -> Geometry {
        try owned(GEOSUnion_r(h, pointer, other.pointer), "cannot compute a union")
    }

    /// Union of all parts of this geometry (dissolves overlaps and shared edges).
    package func unaryUnion() throws -> Geometry {
        try owned(GEOSUnaryUnion_r(h, pointer), "cannot compute a union")
    }

    /// Union of many geometries in one pass (much faster than folding `union`).
    package static func unaryUnion(_ parts: [Geometry]) throws -> Geometry {
        try collection(parts).unaryUnion()
    }

    /// Union of polygons that only share edges, never overlap (e.g. grid cells): much faster
    /// than `unaryUnion`, but the result is wrong if the polygons overlap.
    package func coverageUnion() throws -> Geometry {
        try owned(GEOSCoverageUnion_r(h, pointer), "cannot compute a coverage union")
    }

    package func intersection(_ other: Geometry) throws -> Geometry {
        try owned(GEOSIntersection_r(h, pointer, other.pointer), "cannot compute an intersection")
    }

    package func difference(_ other: Geometry) throws -> Geometry {
        try owned(GEOSDifference_r(h, pointer, other.pointer), "cannot compute a difference")
    }

    /// Buffer by `distance` CRS units (negative shrinks areas); `quadrantSegments` segments per
    /// quarter circle.
    package func buffer(_ distance: Double, quadrantSegments: Int = 8) throws -> Geometry {
        try owned(GEOSBuffer_r(h, pointer, distance, Int32(clamping: quadrantSegments)), "cannot buffer by \(distance)")
    }

    /// Douglas–Peucker simplification that keeps topology (no new self-intersections, holes stay
    /// inside), tolerance in CRS units.
    package func simplified(tolerance: Double) throws -> Geometry {
        try owned(GEOSTopologyPreserveSimplify_r(h, pointer, tolerance), "cannot simplify with tolerance \(tolerance)")
    }

    /// The centre of mass (may lie outside a concave polygon; see `pointOnSurface`).
    package func centroid() throws -> Geometry {
        try owned(GEOSGetCentroid_r(h, pointer), "cannot compute the centroid")
    }

    /// A point guaranteed to lie inside the geometry.
    package func pointOnSurface() throws -> Geometry {
        try owned(GEOSPointOnSurface_r(h, pointer), "cannot compute a point on the surface")
    }

    /// The x, y of a Point. Throws for other types and for an empty point.
    package func pointXY() throws -> (x: Double, y: Double) {
        guard try type() == .point, try !isEmpty() else {
            throw GEOSError("expected a non-empty Point, got \(wkt.prefix(60))")
        }
        var x = 0.0, y = 0.0
        guard GEOSGeomGetX_r(h, pointer, &x) == 1, GEOSGeomGetY_r(h, pointer, &y) == 1 else {
            throw context.error("cannot read a point")
        }
        return (x, y)
    }

    /// The same geometry with every coordinate passed through `transform`, which receives all x
    /// and all y values at once (so a PROJ transformation runs in one batch), e.g.
    /// `try g.transformed { try projection.forward(x: &$0, y: &$1) }`.
    /// It must keep the number of values. The result is not re-validated.
    package func transformed(_ transform: (inout [Double], inout [Double]) throws -> Void) throws -> Geometry {
        // GEOSGeom_transformXY_r (GEOS 3.11) calls back once per coordinate. A first pass collects
        // the coordinates in GEOS's own visiting order (its copy is discarded), the batch is
        // transformed, and a second pass writes them back in that same order.
        let buffer = TransformBuffer()
        let userData = Unmanaged.passUnretained(buffer).toOpaque()
        let copy = GEOSGeom_transformXY_r(h, pointer, { x, y, userData in
            guard let x, let y, let userData else { return 0 }
            let b = Unmanaged<TransformBuffer>.fromOpaque(userData).takeUnretainedValue()
            b.x.append(x.pointee)
            b.y.append(y.pointee)
            return 1
        }, userData)
        guard let copy else { throw context.error("cannot read the coordinates to transform") }
        GEOSGeom_destroy_r(h, copy)

        let count = buffer.x.count
        try transform(&buffer.x, &buffer.y)
        guard buffer.x.count == count, buffer.y.count == count else {
            throw GEOSError("the coordinate transform returned \(buffer.x.count) x and \(buffer.y.count) y values for \(count) points")
        }
        let result = GEOSGeom_transformXY_r(h, pointer, { x, y, userData in
            guard let x, let y, let userData else { return 0 }
            let b = Unmanaged<TransformBuffer>.fromOpaque(userData).takeUnretainedValue()
            guard b.next < b.x.count else { return 0 }
            x.pointee = b.x[b.next]
            y.pointee = b.y[b.next]
            b.next += 1
            return 1
        }, userData)
        return try withExtendedLifetime(buffer) {
            try owned(result, "cannot write the transformed coordinates")
        }
    }

    /// Only the Polygon/MultiPolygon parts (lines and points dropped, e.g. after `makeValid`),
    /// as a Polygon, a MultiPolygon, or an empty MultiPolygon. Parts are not unioned.
    package func polygonalParts() throws -> Geometry {
        switch try type() {
        case .polygon, .multiPolygon:
            return self
        case .geometryCollection:
            var parts: [OpaquePointer] = []
            do {
                try collectPolygons(pointer, into: &parts)
            } catch {
                parts.forEach { GEOSGeom_destroy_r(h, $0) }
                throw error
            }
            if parts.count == 1 { return Geometry(owning: parts[0], context: context) }
            return Geometry(owning: try Build.collection(.multiPolygon, parts, context), context: context)
        default:
            return try owned(GEOSGeom_createEmptyCollection_r(h, Int32(GEOS_MULTIPOLYGON.rawValue)), "cannot make an empty MultiPolygon")
        }
    }

    /// Appends copies (owned by the caller) of the non-empty polygons inside `g`.
    private func collectPolygons(_ g: OpaquePointer, into parts: inout [OpaquePointer]) throws {
        let id = GEOSGeomTypeId_r(h, g)
        switch GeometryType(rawValue: id) {
        case .polygon:
            guard GEOSisEmpty_r(h, g) == 0 else { return }
            guard let c = GEOSGeom_clone_r(h, g) else { throw context.error("cannot copy a polygon") }
            parts.append(c)
        case .multiPolygon, .geometryCollection:
            let n = GEOSGetNumGeometries_r(h, g)
            guard n >= 0 else { throw context.error("cannot count the parts of a collection") }
            for i in 0..<n {
                guard let child = GEOSGetGeometryN_r(h, g, i) else { throw context.error("cannot read part \(i)") }
                try collectPolygons(child, into: &parts)
            }
        case nil:
            throw context.error("cannot read the geometry type")
        default:
            return
        }
    }

    /// An input area made usable: returned as is when valid; otherwise repaired (overlapping
    /// parts merged, collapsed slivers dropped) keeping only its polygons.
    /// - Throws: GEOSError saying why when the input is not an area at all or nothing with an
    ///   area remains after repair (e.g. a polygon whose vertices lie on one line).
    package func repairedPolygonal() throws -> Geometry {
        let kind = try type()
        guard [.polygon, .multiPolygon, .geometryCollection].contains(kind) else {
            throw GEOSError("the area is a \(kind.name), not a Polygon or MultiPolygon")
        }
        if try isEmpty() { throw GEOSError("the area \(kind.name) is empty") }
        if try isValid() {
            let parts = try polygonalParts()
            if try parts.isEmpty() {
                throw GEOSError("the area \(kind.name) contains no polygon")
            }
            return parts
        }
        let reason = try validityReason()
        let repaired = try makeValid(method: .structure, keepCollapsed: false).polygonalParts()
        guard try !repaired.isEmpty(), try repaired.area() > 0, try repaired.isValid() else {
            throw GEOSError("the area polygon is invalid (\(reason)) and could not be repaired: nothing with an area remains")
        }
        return repaired
    }
}

/// Coordinates shuttled between the two passes of `Geometry.transformed`.
private final class TransformBuffer {
    var x: [Double] = []
    var y: [Double] = []
    var next = 0
}

// MARK: - Building raw GEOS geometries

/// Builders returning `GEOSGeometry*` owned by the caller.
private enum Build {
    static func point(_ x: Double, _ y: Double, _ context: GEOSContext) throws -> OpaquePointer {
        guard x.isFinite, y.isFinite else { throw GEOSError("cannot make a point at (\(x), \(y)): not finite") }
        guard let p = GEOSGeom_createPointFromXY_r(context.handle, x, y) else { throw context.error("cannot make a point") }
        return p
    }

    /// A coordinate sequence (owned by the caller).
    static func sequence(_ xs: [Double], _ ys: [Double], _ context: GEOSContext) throws -> OpaquePointer {
        guard let s = GEOSCoordSeq_copyFromArrays_r(context.handle, xs, ys, nil, nil, UInt32(xs.count)) else {
            throw context.error("cannot make a coordinate sequence")
        }
        return s
    }

    static func lineString(_ points: [(x: Double, y: Double)], _ context: GEOSContext) throws -> OpaquePointer {
        let h = context.handle
        if points.isEmpty {
            guard let e = GEOSGeom_createEmptyLineString_r(h) else { throw context.error("cannot make a LineString") }
            return e
        }
        guard points.count >= 2 else { throw GEOSError("a LineString needs at least 2 positions, got 1") }
        guard points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
            throw GEOSError("a LineString has a non-finite coordinate")
        }
        let seq = try sequence(points.map(\.x), points.map(\.y), context)
        // The sequence now belongs to the line, even if creation fails.
        guard let line = GEOSGeom_createLineString_r(h, seq) else { throw context.error("cannot make a LineString") }
        return line
    }

    static func polygon(_ rings: [[(x: Double, y: Double)]], _ context: GEOSContext) throws -> OpaquePointer {
        let h = context.handle
        if rings.isEmpty {
            guard let e = GEOSGeom_createEmptyPolygon_r(h) else { throw context.error("cannot make a Polygon") }
            return e
        }
        var built: [OpaquePointer] = []
        do {
            for (n, ring) in rings.enumerated() {
                var xs = ring.map(\.x), ys = ring.map(\.y)
                if let fx = xs.first, let fy = ys.first, fx != xs.last! || fy != ys.last! {
                    xs.append(fx)
                    ys.append(fy)
                }
                let what = n == 0 ? "the exterior ring" : "hole \(n)"
                // Checked here because GEOS would throw an exception and its ownership rules on
                // failure are undocumented.
                guard xs.count >= 4 else {
                    throw GEOSError("\(what) has \(max(0, xs.count - 1)) distinct positions; a polygon ring needs at least 3")
                }
                guard xs.allSatisfy(\.isFinite), ys.allSatisfy(\.isFinite) else {
                    throw GEOSError("\(what) has a non-finite coordinate")
                }
                let seq = try sequence(xs, ys, context)
                // The sequence now belongs to the ring, even if creation fails.
                guard let r = GEOSGeom_createLinearRing_r(h, seq) else { throw context.error("cannot make \(what)") }
                built.append(r)
            }
        } catch {
            built.forEach { GEOSGeom_destroy_r(h, $0) }
            throw error
        }
        // Shell and holes now belong to the polygon (on failure too: never destroyed twice).
        var holes = Array(built.dropFirst()) as [OpaquePointer?]
        let polygon = holes.withUnsafeMutableBufferPointer {
            GEOSGeom_createPolygon_r(h, built[0], $0.baseAddress, UInt32($0.count))
        }
        guard let polygon else { throw context.error("cannot make a Polygon") }
        return polygon
    }

    /// A collection of `kind` taking ownership of `parts` (also when creation fails).
    static func collection(_ kind: GeometryType, _ parts: [OpaquePointer], _ context: GEOSContext) throws -> OpaquePointer {
        var array = parts as [OpaquePointer?]
        let c = array.withUnsafeMutableBufferPointer {
            GEOSGeom_createCollection_r(context.handle, kind.rawValue, $0.baseAddress, UInt32($0.count))
        }
        guard let c else { throw context.error("cannot make a \(kind.name)") }
        return c
    }

    /// Builds each element, destroying the ones already built if a later one fails.
    static func parts<T>(_ items: [T], _ context: GEOSContext, _ make: (T) throws -> OpaquePointer) throws -> [OpaquePointer] {
        var built: [OpaquePointer] = []
        built.reserveCapacity(items.count)
        do {
            for item in items { built.append(try make(item)) }
        } catch {
            built.forEach { GEOSGeom_destroy_r(context.handle, $0) }
            throw error
        }
        return built
    }

    static func geometry(_ g: Geometry.Shape, _ context: GEOSContext) throws -> OpaquePointer {
        switch g {
        case let .point(p):
            return try point(p.x, p.y, context)
        case let .multiPoint(ps):
            return try collection(.multiPoint, parts(ps, context) { try point($0.x, $0.y, context) }, context)
        case let .lineString(ps):
            return try lineString(ps, context)
        case let .multiLineString(ls):
            return try collection(.multiLineString, parts(ls, context) { try lineString($0, context) }, context)
        case let .polygon(rings):
            return try polygon(rings, context)
        case let .multiPolygon(ps):
            return try collection(.multiPolygon, parts(ps, context) { try polygon($0, context) }, context)
        case let .geometryCollection(gs):
            return try collection(.geometryCollection, parts(gs, context) { try geometry($0, context) }, context)
        }
    }
}

// MARK: - Reading raw GEOS geometries

/// Reads borrowed `GEOSGeometry*` (children stay owned by their parent).
private struct Read {
    let context: GEOSContext
    var h: OpaquePointer { context.handle }

    func type(_ g: OpaquePointer) throws -> GeometryType {
        guard let t = GeometryType(rawValue: GEOSGeomTypeId_r(h, g)) else { throw context.error("cannot read a geometry type") }
        return t
    }

    func coordinates(_ g: OpaquePointer) throws -> [(x: Double, y: Double)] {
        guard let seq = GEOSGeom_getCoordSeq_r(h, g) else { throw context.error("cannot read coordinates") }
        var size: UInt32 = 0
        guard GEOSCoordSeq_getSize_r(h, seq, &size) == 1 else { throw context.error("cannot read coordinates") }
        guard size > 0 else { return [] }
        var xs = [Double](repeating: 0, count: Int(size)), ys = xs
        guard GEOSCoordSeq_copyToArrays_r(h, seq, &xs, &ys, nil, nil) == 1 else { throw context.error("cannot read coordinates") }
        return zip(xs, ys).map { (x: $0, y: $1) }
    }

    func children(_ g: OpaquePointer) throws -> [OpaquePointer] {
        let n = GEOSGetNumGeometries_r(h, g)
        guard n >= 0 else { throw context.error("cannot count the parts of a collection") }
        return try (0..<n).map { i in
            guard let c = GEOSGetGeometryN_r(h, g, i) else { throw context.error("cannot read part \(i)") }
            return c
        }
    }

    func rings(_ polygon: OpaquePointer) throws -> [[(x: Double, y: Double)]] {
        guard GEOSisEmpty_r(h, polygon) == 0 else { return [] }
        guard let shell = GEOSGetExteriorRing_r(h, polygon) else { throw context.error("cannot read an exterior ring") }
        var out = [try coordinates(shell)]
        let n = GEOSGetNumInteriorRings_r(h, polygon)
        guard n >= 0 else { throw context.error("cannot count holes") }
        for i in 0..<n {
            guard let hole = GEOSGetInteriorRingN_r(h, polygon, i) else { throw context.error("cannot read hole \(i)") }
            out.append(try coordinates(hole))
        }
        return out
    }

    func polygons(_ g: OpaquePointer, into out: inout [[[(x: Double, y: Double)]]]) throws {
        switch try type(g) {
        case .polygon:
            let r = try rings(g)
            if !r.isEmpty { out.append(r) }
        case .multiPolygon, .geometryCollection:
            for c in try children(g) { try polygons(c, into: &out) }
        default:
            return
        }
    }

    func shape(_ g: OpaquePointer) throws -> Geometry.Shape {
        switch try type(g) {
        case .point:
            guard let p = try coordinates(g).first else { throw GEOSError("an empty Point has no coordinates") }
            return .point(p)
        case .lineString, .linearRing:
            return .lineString(try coordinates(g))
        case .polygon:
            return .polygon(try rings(g))
        case .multiPoint:
            return .multiPoint(try children(g).compactMap { try coordinates($0).first })
        case .multiLineString:
            return .multiLineString(try children(g).map { try coordinates($0) })
        case .multiPolygon:
            return .multiPolygon(try children(g).map { try rings($0) }.filter { !$0.isEmpty })
        case .geometryCollection:
            return .geometryCollection(try children(g).map { try shape($0) })
        }
    }
}

extension Geometry {
    /// A geometry's plain structure in planar (x, y) coordinates: for lon/lat data x is the
    /// longitude and y the latitude. Rings are lists of positions, the exterior first.
    package indirect enum Shape: Sendable {
        package typealias XY = (x: Double, y: Double)
        case point(XY)
        case multiPoint([XY])
        case lineString([XY])
        case multiLineString([[XY]])
        case polygon([[XY]])
        case multiPolygon([[[XY]]])
        case geometryCollection([Shape])
    }
}
