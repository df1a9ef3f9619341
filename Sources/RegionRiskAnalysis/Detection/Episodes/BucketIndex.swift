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

/// Points (projected metres) sorted into the squares of a bucket grid, in flat arrays: bucket `b`
/// holds `members[start[b] ..< start[b + 1]]`, ascending point indices; buckets are numbered in
/// the order of their first point. Built once in O(n), then each neighbour lookup is one hash
/// probe per bucket rather than per point.
struct BucketIndex {
    /// Side of a bucket, metres.
    let size: Double
    /// Key of each bucket.
    private(set) var keys: [BucketKey] = []
    /// Offsets into `members`; `keys.count + 1` entries.
    private(set) var start: [Int] = [0]
    /// Point indices, grouped by bucket, ascending within each.
    private(set) var members: [Int] = []
    private var bucketOfKey: [BucketKey: Int] = [:]

    /// Indexes the points `i` of `x`, `y` for which `include(i)` holds.
    init(x: [Double], y: [Double], size: Double, include: (Int) -> Bool = { _ in true }) {
        self.size = size
        let n = min(x.count, y.count)
        var bucketOfPoint = [Int](repeating: -1, count: n)
        var counts: [Int] = []
        for i in 0..<n where include(i) {
            let key = BucketKey(x[i], y[i], size)
            let b: Int
            if let known = bucketOfKey[key] { b = known } else {
                b = keys.count
                bucketOfKey[key] = b
                keys.append(key)
                counts.append(0)
            }
            bucketOfPoint[i] = b
            counts[b] += 1
        }
        start = [Int](repeating: 0, count: keys.count + 1)
        for b in counts.indices { start[b + 1] = start[b] + counts[b] }
        var next = Array(start.dropLast())
        members = [Int](repeating: 0, count: start.last ?? 0)
        for i in 0..<n where bucketOfPoint[i] >= 0 {
            members[next[bucketOfPoint[i]]] = i
            next[bucketOfPoint[i]] += 1
        }
    }

    var bucketCount: Int { keys.count }

    /// The bucket `dc` columns and `dr` rows from bucket `b`, nil when it holds no point.
    func neighbour(of b: Int, dc: Int64, dr: Int64) -> Int? {
        bucketOfKey[BucketKey(column: keys[b].column &+ dc, row: keys[b].row &+ dr)]
    }

    /// The bucket holding (x, y)'s key, nil when it holds no point.
    func bucket(_ key: BucketKey) -> Int? { bucketOfKey[key] }

    /// The point indices of bucket `b`.
    func points(_ b: Int) -> ArraySlice<Int> { members[start[b] ..< start[b + 1]] }
}

/// The smallest axis-aligned box around a set of points, for bounding the distance from a point
/// to any of them.
struct PointBox {
    var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity

    mutating func add(_ x: Double, _ y: Double) {
        minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
    }

    /// A lower bound on `(x − xⱼ)² + (y − yⱼ)²` as computed in floating point for every point j in
    /// the box: rounded subtraction, squaring and addition are monotone, so the distance to the
    /// box, computed the same way, never exceeds it.
    func squaredDistance(_ x: Double, _ y: Double) -> Double {
        let dx = x < minX ? minX - x : (x > maxX ? x - maxX : 0)
        let dy = y < minY ? minY - y : (y > maxY ? y - maxY : 0)
        return dx * dx + dy * dy
    }
}
