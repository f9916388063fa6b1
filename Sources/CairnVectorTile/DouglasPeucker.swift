import CairnCore

/// Douglas–Peucker line simplification, iterative (an explicit stack, no recursion).
enum DouglasPeucker {
    /// The points of `line` that keep it within `tolerance` of the original; the first and last
    /// points always stay (so a closed ring stays closed).
    static func simplify(_ line: [Point], tolerance: Double) -> [Point] {
        guard line.count > 2, tolerance > 0 else { return line }
        let squaredTolerance = tolerance * tolerance
        var keep = [Bool](repeating: false, count: line.count)
        keep[0] = true
        keep[line.count - 1] = true
        var stack: [(Int, Int)] = [(0, line.count - 1)]
        while let (first, last) = stack.popLast() {
            guard last > first + 1 else { continue }
            var maxDistance = -1.0
            var maxIndex = first
            let a = line[first], b = line[last]
            for index in (first + 1)..<last {
                let distance = line[index].squaredDistance(toSegment: a, b)
                if distance > maxDistance {
                    maxDistance = distance
                    maxIndex = index
                }
            }
            if maxDistance > squaredTolerance {
                keep[maxIndex] = true
                stack.append((first, maxIndex))
                stack.append((maxIndex, last))
            }
        }
        var result: [Point] = []
        result.reserveCapacity(line.count)
        for index in 0..<line.count where keep[index] { result.append(line[index]) }
        return result
    }
}
