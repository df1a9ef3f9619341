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
    /// their first index. Pairs closer than `linkMeters` (strictly) are linked; a bucket grid of
    /// `linkMeters`-sized squares keeps the work linear in the points for sparse data.
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
        let h2 = linkMeters * linkMeters
        var buckets: [BucketKey: [Int]] = [:]
        for i in 0..<n { buckets[BucketKey(x[i], y[i], linkMeters), default: []].append(i) }
        for i in 0..<n {
            let k = BucketKey(x[i], y[i], linkMeters)
            for dx in -1...1 {
                for dy in -1...1 {
                    for j in buckets[BucketKey(column: k.column &+ Int64(dx), row: k.row &+ Int64(dy))] ?? [] where j > i {
                        let ex = x[i] - x[j], ey = y[i] - y[j]
                        if ex * ex + ey * ey < h2 {
                            let a = root(i), b = root(j)
                            if a != b { parent[max(a, b)] = min(a, b) }
                        }
                    }
                }
            }
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

/// A square of a bucket grid (projected metres).
struct BucketKey: Hashable {
    var column: Int64
    var row: Int64
    init(column: Int64, row: Int64) { self.column = column; self.row = row }
    /// The bucket of (x, y); a non-finite coordinate (a point PROJ could not project) goes to bucket 0.
    init(_ x: Double, _ y: Double, _ size: Double) {
        column = BucketKey.index(x / size)
        row = BucketKey.index(y / size)
    }

    static func index(_ v: Double) -> Int64 {
        guard v.isFinite else { return 0 }
        return Int64(min(max(v.rounded(.down), -1e15), 1e15))
    }
}
