import CGEOS
import Foundation

/// A read-only R-tree (Sort-Tile-Recursive) over geometries, answering "which geometry is
/// nearest to this one" and "which bounding boxes meet this one" without scanning them all.
/// Owns its `GEOSSTRtree*`; keeps the geometries alive (the tree stores pointers to them).
/// Not thread-safe: GEOS builds the tree lazily on the first query.
package final class STRTree {
    /// The indexed geometries; query results are indices into this array. Pass distinct objects:
    /// an object listed twice is reported at its first index only.
    package let geometries: [Geometry]
    private let context: GEOSContext
    private let tree: OpaquePointer
    private let indexOf: [OpaquePointer: Int]

    /// - Parameter nodeCapacity: children per tree node (GEOS's default is 10).
    package init(_ geometries: [Geometry], nodeCapacity: Int = 10, context: GEOSContext = .current) throws {
        guard let tree = GEOSSTRtree_create_r(context.handle, max(2, nodeCapacity)) else {
            throw context.error("cannot create a spatial index")
        }
        self.geometries = geometries
        self.context = context
        self.tree = tree
        var indexOf: [OpaquePointer: Int] = [:]
        indexOf.reserveCapacity(geometries.count)
        for (i, g) in geometries.enumerated() {
            // The item is the geometry itself, which GEOSSTRtree_nearest_r requires.
            GEOSSTRtree_insert_r(context.handle, tree, g.pointer, UnsafeMutableRawPointer(g.pointer))
            if indexOf[g.pointer] == nil { indexOf[g.pointer] = i }
        }
        self.indexOf = indexOf
    }

    deinit {
        GEOSSTRtree_destroy_r(context.handle, tree)
    }

    /// Index of the geometry nearest to `g` (planar distance), or nil when the tree is empty.
    /// Ties are broken arbitrarily.
    package func nearest(to g: Geometry) throws -> Int? {
        guard !geometries.isEmpty else { return nil }
        guard let found = GEOSSTRtree_nearest_r(context.handle, tree, g.pointer) else {
            throw context.error("cannot search the spatial index")
        }
        guard let i = indexOf[found] else {
            throw GEOSError("the spatial index returned a geometry it does not hold")
        }
        return i
    }

    /// Indices (ascending) of the geometries whose bounding box intersects the bounding box of
    /// `g`: candidates to test exactly with `intersects`.
    package func query(envelopeOf g: Geometry) -> [Int] {
        final class Hits {
            let indexOf: [OpaquePointer: Int]
            var found: [Int] = []
            init(_ indexOf: [OpaquePointer: Int]) { self.indexOf = indexOf }
        }
        let hits = Hits(indexOf)
        withExtendedLifetime(hits) {
            GEOSSTRtree_query_r(context.handle, tree, g.pointer, { item, userData in
                guard let item, let userData else { return }
                let hits = Unmanaged<Hits>.fromOpaque(userData).takeUnretainedValue()
                if let i = hits.indexOf[OpaquePointer(item)] { hits.found.append(i) }
            }, Unmanaged.passUnretained(hits).toOpaque())
        }
        return hits.found.sorted()
    }
}
