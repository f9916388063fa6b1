import CairnCore
import Testing

/// The packed R-tree against brute force.
struct FeatureIndexTests {
    static func randomBoxes(_ count: Int, seed: UInt64, pointShare: Double = 0.2, emptyShare: Double = 0.02)
        -> [BoundingBox]
    {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let kind = generator.unit()
            if kind < emptyShare { return .empty }
            let x = generator.unit() * 1000
            let y = generator.unit() * 1000
            if kind < emptyShare + pointShare { return BoundingBox(minX: x, minY: y, maxX: x, maxY: y) }
            return BoundingBox(minX: x, minY: y, maxX: x + generator.unit() * 30, maxY: y + generator.unit() * 30)
        }
    }

    static func bruteForce(_ boxes: [BoundingBox], _ query: BoundingBox) -> [Int32] {
        boxes.indices.filter { !boxes[$0].isEmpty && boxes[$0].intersects(query) }.map { Int32($0) }
    }

    @Test(arguments: [2, 4, 16])
    func matchesBruteForceOnRandomBoxes(nodeSize: Int) {
        let boxes = Self.randomBoxes(3_000, seed: UInt64(nodeSize))
        let index = FeatureIndex(boxes: boxes, nodeSize: nodeSize)
        #expect(index.count == boxes.filter { !$0.isEmpty }.count)
        var generator = SeededGenerator(seed: 99)
        var results: [Int32] = []
        for _ in 0..<300 {
            let x = generator.unit() * 1100 - 50
            let y = generator.unit() * 1100 - 50
            let size = generator.unit() < 0.1 ? generator.unit() * 800 : generator.unit() * 60
            let query = BoundingBox(minX: x, minY: y, maxX: x + size, maxY: y + size * generator.unit() * 2)
            index.query(query, into: &results)
            #expect(results == Self.bruteForce(boxes, query), "query \(query)")
        }
    }

    @Test func pointQueriesAndTouchingEdges() {
        let boxes = [
            BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 10),
            BoundingBox(minX: 10, minY: 10, maxX: 10, maxY: 10),
            BoundingBox(minX: 20, minY: 20, maxX: 30, maxY: 30),
        ]
        let index = FeatureIndex(boxes: boxes)
        #expect(index.query(BoundingBox(minX: 10, minY: 10, maxX: 10, maxY: 10)) == [0, 1])
        #expect(index.query(BoundingBox(minX: 10.5, minY: 10.5, maxX: 19.9, maxY: 19.9)) == [])
        #expect(index.query(BoundingBox(minX: 30, minY: 0, maxX: 40, maxY: 20)) == [2])
    }

    @Test func everythingQueryReturnsAllInFileOrder() {
        let boxes = Self.randomBoxes(5_000, seed: 3)
        let index = FeatureIndex(boxes: boxes)
        let all = index.query(BoundingBox(minX: -1e9, minY: -1e9, maxX: 1e9, maxY: 1e9))
        #expect(all == Self.bruteForce(boxes, BoundingBox(minX: -1e9, minY: -1e9, maxX: 1e9, maxY: 1e9)))
        var visited: [Int32] = []
        index.forEach(intersecting: index.bounds) { visited.append($0) }
        #expect(visited == all)
    }

    @Test func emptyAndDegenerateIndexes() {
        let empty = FeatureIndex(boxes: [])
        #expect(empty.isEmpty && empty.bounds.isEmpty)
        #expect(empty.query(BoundingBox(minX: -1, minY: -1, maxX: 1, maxY: 1)) == [])

        let onlyEmptyGeometries = FeatureIndex(boxes: [.empty, .empty])
        #expect(onlyEmptyGeometries.query(BoundingBox(minX: -1e9, minY: -1e9, maxX: 1e9, maxY: 1e9)) == [])

        let nan = BoundingBox(minX: .nan, minY: 0, maxX: 1, maxY: 1)
        let single = FeatureIndex(boxes: [nan, BoundingBox(minX: 5, minY: 5, maxX: 5, maxY: 5)])
        #expect(single.count == 1)
        #expect(single.query(BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 10)) == [1])
        #expect(single.query(nan) == [])
        #expect(single.query(.empty) == [])

        // All points at one spot: zero-size bounds must not break the Hilbert keys.
        let stacked = FeatureIndex(boxes: Array(repeating: BoundingBox(minX: 3, minY: 3, maxX: 3, maxY: 3), count: 40))
        #expect(stacked.query(BoundingBox(minX: 3, minY: 3, maxX: 3, maxY: 3)) == (0..<40).map { Int32($0) })
    }

    /// 38k small boxes (the size of syn_buildings): a z14-tile query finds exactly what a scan finds.
    @Test func buildingSizedIndexIsFast() {
        var generator = SeededGenerator(seed: 2025)
        let boxes = (0..<38_000).map { _ in
            let x = 11_845_000 + generator.unit() * 72_000
            let y = 2_343_000 + generator.unit() * 48_000
            return BoundingBox(minX: x, minY: y, maxX: x + 20, maxY: y + 20)
        }
        // Speed is measured by scripts/bench, not here: this checks the answers at that size.
        let index = FeatureIndex(boxes: boxes)
        let tile = BoundingBox(minX: 11_877_000, minY: 2_372_000, maxX: 11_879_446, maxY: 2_374_446)
        var results: [Int32] = []
        for _ in 0..<3 { index.query(tile, into: &results) }
        #expect(results == Self.bruteForce(boxes, tile))
    }
}
