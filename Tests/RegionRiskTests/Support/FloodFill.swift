/// The all-pairs reference for single-linkage grouping: a flood fill over every pair of points,
/// groups in the order of their lowest point, members ascending.
func floodFillGroups(count n: Int, linked: (Int, Int) -> Bool) -> [[Int]] {
    var label = [Int](repeating: -1, count: n)
    var groups: [[Int]] = []
    for s in 0..<n where label[s] < 0 {
        var stack = [s], members: [Int] = []
        label[s] = groups.count
        while let i = stack.popLast() {
            members.append(i)
            for j in 0..<n where label[j] < 0 && linked(i, j) {
                label[j] = groups.count
                stack.append(j)
            }
        }
        groups.append(members.sorted())
    }
    return groups
}
