import Foundation

/// The candidate (parent j, child i) pairs of the triggering kernel, in compressed rows: for child
/// i, its parents' time lags and squared distances are at `start[i]..<start[i + 1]`.
///
/// A pair is kept when 0 < tᵢ − tⱼ ≤ `maxLagDays` and the distance is ≤ `maxDistanceKm`. The
/// events are bucketed on a square lattice (side ≥ the distance cut-off, so every parent lies in
/// the child's 3×3 block of buckets); each bucket lists its events in time order, so the parents
/// of a child within the lag are one contiguous run per bucket, found by binary search. Children
/// are split across threads in contiguous blocks, each writing its own buffers.
struct TriggeringPairs: Sendable {
    var start: [Int]
    /// tᵢ − tⱼ, days.
    var lagDays: [Double]
    /// |xᵢ − xⱼ|², km².
    var distanceSquaredKm2: [Double]

    var count: Int { lagDays.count }

    /// Largest lattice, buckets; beyond it the buckets grow (more candidates tested, same pairs).
    static let maximumBuckets = 4_000_000

    /// - Parameter points: sorted by time (index order is time order).
    init(points: SpaceTimePoints, maxLagDays: Double, maxDistanceKm: Double,
         threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        let n = points.count
        let xs = points.xKm, ys = points.yKm, ts = points.tDays
        guard n > 1, let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max() else {
            self.init(start: [Int](repeating: 0, count: n + 1), lagDays: [], distanceSquaredKm2: [])
            return
        }
        var side = max(maxDistanceKm, 1e-9)
        let spanX = maxX - minX, spanY = maxY - minY
        while (spanX / side + 1) * (spanY / side + 1) > Double(Self.maximumBuckets) { side *= 2 }
        let columns = Int(spanX / side) + 1, rows = Int(spanY / side) + 1
        var bucketOf = [Int32](repeating: 0, count: n)
        var bucketStart = [Int](repeating: 0, count: columns * rows + 1)
        for i in 0..<n {
            let c = min(columns - 1, Int((xs[i] - minX) / side)), r = min(rows - 1, Int((ys[i] - minY) / side))
            let b = r * columns + c
            bucketOf[i] = Int32(b)
            bucketStart[b + 1] += 1
        }
        for b in 0..<(columns * rows) { bucketStart[b + 1] += bucketStart[b] }
        // Members of each bucket in index (= time) order.
        var members = [Int32](repeating: 0, count: n)
        var fill = bucketStart
        for i in 0..<n {
            let b = Int(bucketOf[i])
            members[fill[b]] = Int32(i)
            fill[b] += 1
        }
        let r2max = maxDistanceKm * maxDistanceKm
        let blocks = max(1, min(threads * 4, n / 1000))
        var blockLag = [[Double]](repeating: [], count: blocks), blockD2 = [[Double]](repeating: [], count: blocks)
        var perChild = [Int](repeating: 0, count: n)
        perChild.withUnsafeMutableBufferPointer { counts in
            let countsBase = counts
            blockLag.withUnsafeMutableBufferPointer { outLag in
            let outLagBase = outLag
            blockD2.withUnsafeMutableBufferPointer { outD2 in
            let outD2Base = outD2
            members.withUnsafeBufferPointer { mem in
                DispatchQueue.concurrentPerform(iterations: blocks) { blk in
                    var lag: [Double] = [], d2: [Double] = []
                    lag.reserveCapacity(64 * (n / blocks + 1))
                    d2.reserveCapacity(64 * (n / blocks + 1))
                    for i in (n * blk / blocks)..<(n * (blk + 1) / blocks) {
                        let before = lag.count
                        // First event inside the lag window (ties at the same time are excluded below by dt > 0).
                        let earliest = Self.firstIndex(in: ts, atLeast: ts[i] - maxLagDays, below: i)
                        let b = Int(bucketOf[i]), bc = b % columns, br = b / columns
                        for r in max(0, br - 1)...min(rows - 1, br + 1) {
                            for c in max(0, bc - 1)...min(columns - 1, bc + 1) {
                                let lo = bucketStart[r * columns + c], hi = bucketStart[r * columns + c + 1]
                                var k = Self.firstMember(mem, lo, hi, atLeast: earliest)
                                while k < hi {
                                    let j = Int(mem[k])
                                    if j >= i { break }
                                    let dt = ts[i] - ts[j]
                                    if dt > 0 {
                                        let ex = xs[i] - xs[j], ey = ys[i] - ys[j]
                                        let r2 = ex * ex + ey * ey
                                        if r2 <= r2max { lag.append(dt); d2.append(r2) }
                                    }
                                    k += 1
                                }
                            }
                        }
                        countsBase[i] = lag.count - before
                    }
                    outLagBase[blk] = lag
                    outD2Base[blk] = d2
                }
            }
            }
            }
        }
        var start = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { start[i + 1] = start[i] + perChild[i] }
        var lag = [Double](), d2 = [Double]()
        lag.reserveCapacity(start[n])
        d2.reserveCapacity(start[n])
        for blk in 0..<blocks {
            lag.append(contentsOf: blockLag[blk])
            d2.append(contentsOf: blockD2[blk])
        }
        self.init(start: start, lagDays: lag, distanceSquaredKm2: d2)
    }

    init(start: [Int], lagDays: [Double], distanceSquaredKm2: [Double]) {
        self.start = start
        self.lagDays = lagDays
        self.distanceSquaredKm2 = distanceSquaredKm2
    }

    /// The first index k < `below` with t[k] ≥ value (t nondecreasing), or `below`.
    static func firstIndex(in t: [Double], atLeast value: Double, below: Int) -> Int {
        var lo = 0, hi = below
        while lo < hi {
            let mid = (lo + hi) / 2
            if t[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The first position in members[lo..<hi] (increasing) holding an index ≥ `value`, or hi.
    static func firstMember(_ members: UnsafeBufferPointer<Int32>, _ lo: Int, _ hi: Int, atLeast value: Int) -> Int {
        var lo = lo, hi = hi
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(members[mid]) < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
