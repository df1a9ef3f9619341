import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Groups events into episodes by proximity: single linkage at a distance, so two events share an
/// episode when a chain of events, each closer than the distance to the next, joins them.
///
/// With the linkage distance equal to the detection bandwidth h, an episode's footprint (the area
/// within h of its events) holds no event of another episode: an event within h of the footprint's
/// events would have been linked into it.
package enum EpisodeGrouping {
    /// Episodes of projected points (metres), each a list of point indices ascending, ordered by
    /// their first index. Pairs closer than `linkMeters` (strictly: `dx² + dy² < linkMeters²`) are
    /// linked.
    ///
    /// Points go into buckets of side just under `linkMeters`/√2, so any two points of one bucket
    /// are closer than the distance: each bucket is joined by checking its points against its
    /// first one (n checks, not n²), and two buckets up to two apart by their first close pair,
    /// skipped when already joined. A point's distance to a bucket's bounding box skips it
    /// without looking at the bucket's points one by one. Every union is of a pair that passes the
    /// test above and every pair skipped is already joined, so the episodes are those of the
    /// all-pairs test; dense clusters cost about linear time instead of quadratic.
    package static func singleLinkage(x: [Double], y: [Double], linkMeters: Double) -> [[Int]] {
        let n = min(x.count, y.count)
        guard n > 0 else { return [] }
        guard linkMeters.isFinite, linkMeters > 0 else { return (0..<n).map { [$0] } }
        var parent = Array(0..<n)
        func root(_ a: Int) -> Int {
            var a = a
            while parent[a] != a { parent[a] = parent[parent[a]]; a = parent[a] }
            return a
        }
        func join(_ i: Int, _ j: Int) {
            let a = root(i), b = root(j)
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        let h2 = linkMeters * linkMeters
        func close(_ i: Int, _ j: Int) -> Bool {
            let ex = x[i] - x[j], ey = y[i] - y[j]
            return ex * ex + ey * ey < h2
        }
        // A non-finite coordinate is never closer than anything (its differences are ±∞ or NaN).
        // Beyond 10¹² buckets from the origin a bucket key loses the resolution the neighbour
        // range below relies on: such points (never met in practice) are compared with every point.
        let size = linkMeters / 2.0.squareRoot() * (1 - 1e-6)
        let limit = size * 1e12
        func regular(_ i: Int) -> Bool { abs(x[i]) <= limit && abs(y[i]) <= limit }
        let index = BucketIndex(x: x, y: y, size: size, include: regular)
        var whole = [Bool](repeating: true, count: index.bucketCount)
        var box = [PointBox](repeating: PointBox(), count: index.bucketCount)
        for b in 0..<index.bucketCount {
            let points = index.points(b)
            let first = points[points.startIndex]
            for i in points {
                box[b].add(x[i], y[i])
                if i == first { continue }
                if close(first, i) { join(first, i) } else { whole[b] = false }
            }
            if !whole[b] {
                // Only at the rounding edge of the bucket's size: fall back to all pairs.
                for (k, i) in points.enumerated() {
                    for j in points.dropFirst(k + 1) where close(i, j) { join(i, j) }
                }
            }
        }
        // Buckets up to two apart can hold points closer than the distance; three apart, their
        // points are at least 2 · size = √2 · linkMeters · (1 − 10⁻⁶) apart on one axis.
        for b in 0..<index.bucketCount {
            let points = index.points(b)
            for dr in Int64(0)...2 {
                for dc in Int64(-2)...2 where dr > 0 || dc > 0 {
                    guard let o = index.neighbour(of: b, dc: dc, dr: dr) else { continue }
                    let others = index.points(o)
                    let both = whole[b] && whole[o]
                    if both, root(points[points.startIndex]) == root(others[others.startIndex]) { continue }
                    scan: for i in points where box[o].squaredDistance(x[i], y[i]) < h2 {
                        for j in others where close(i, j) {
                            join(i, j)
                            if both { break scan }
                        }
                    }
                }
            }
        }
        for i in 0..<n where !regular(i) && x[i].isFinite && y[i].isFinite {
            for j in 0..<n where j != i && close(i, j) { join(i, j) }
        }
        var groups: [Int: [Int]] = [:]
        var order: [Int] = []
        for i in 0..<n {
            let r = root(i)
            if groups[r] == nil { order.append(r) }
            groups[r, default: []].append(i)
        }
        return order.map { groups[$0]! }
    }
}
