import CGEOS
import Foundation

/// A geometry indexed for many repeated predicate tests (e.g. "is this grid cell centre in the
/// area?"): each test is then O(log n) in the number of vertices instead of O(n).
/// Owns its `GEOSPreparedGeometry*` and keeps the geometry alive (the prepared one points into it).
/// Not thread-safe: GEOS builds its index lazily on first use.
package final class PreparedGeometry {
    package let geometry: Geometry
    let pointer: OpaquePointer

    package init(_ geometry: Geometry) throws {
        guard let p = GEOSPrepare_r(geometry.context.handle, geometry.pointer) else {
            throw geometry.context.error("cannot prepare the geometry")
        }
        self.geometry = geometry
        self.pointer = p
    }

    deinit {
        GEOSPreparedGeom_destroy_r(geometry.context.handle, pointer)
    }

    private var context: GEOSContext { geometry.context }

    /// True when (x, y) lies in the interior; a point exactly on the boundary is not contained.
    package func contains(x: Double, y: Double) throws -> Bool {
        // GEOS 3.11 has no GEOSPreparedContainsXY (added in 3.12), so a point is made per test.
        let point = try Geometry.point(x: x, y: y, context: context)
        return try withExtendedLifetime(point) {
            try predicate(GEOSPreparedContains_r(context.handle, pointer, point.pointer), "cannot test containment")
        }
    }

    /// True when (x, y) lies in the interior or on the boundary.
    package func covers(x: Double, y: Double) throws -> Bool {
        let point = try Geometry.point(x: x, y: y, context: context)
        return try withExtendedLifetime(point) {
            try predicate(GEOSPreparedCovers_r(context.handle, pointer, point.pointer), "cannot test coverage")
        }
    }

    package func contains(_ g: Geometry) throws -> Bool {
        try predicate(GEOSPreparedContains_r(context.handle, pointer, g.pointer), "cannot test containment")
    }

    package func intersects(_ g: Geometry) throws -> Bool {
        try predicate(GEOSPreparedIntersects_r(context.handle, pointer, g.pointer), "cannot test intersection")
    }

    private func predicate(_ value: CChar, _ what: @autoclosure () -> String) throws -> Bool {
        switch value {
        case 1: return true
        case 0: return false
        default: throw context.error(what())
        }
    }
}
