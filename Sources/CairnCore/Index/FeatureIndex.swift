/// A static, packed R-tree over per-feature bounding boxes, built once per layer.
///
/// Items are sorted along a Hilbert curve of their box centres and packed `nodeSize` to a
/// node, level by level up to one root (the Flatbush layout). Nodes are stored contiguously,
/// so a child range is computed from the parent's position and nothing per node is allocated.
/// Queries return feature indices in ascending order, so drawing them keeps file order.
/// Features whose box is empty (empty geometry) or NaN are not indexed: they match nothing.
public struct FeatureIndex: Sendable {
    public static let defaultNodeSize = 16

    /// Children per node.
    public let nodeSize: Int
    /// The union of all indexed boxes (`.empty` when nothing is indexed).
    public let bounds: BoundingBox
    /// Boxes of every node: level 0 (the items, in Hilbert order) first, the root last.
    private let nodes: [BoundingBox]
    /// The feature index of each level-0 node.
    private let itemFeatures: [Int32]
    /// Where each level starts in `nodes`, plus `nodes.count` at the end.
    private let levelStarts: [Int]

    /// Number of indexed features.
    public var count: Int { itemFeatures.count }
    public var isEmpty: Bool { itemFeatures.isEmpty }

    /// Builds the index; `boxes[i]` is the bounding box of feature `i`.
    public init(boxes: [BoundingBox], nodeSize: Int = FeatureIndex.defaultNodeSize) {
        precondition(nodeSize >= 2, "an R-tree node needs at least 2 children")
        precondition(boxes.count <= Int(Int32.max), "FeatureIndex holds at most Int32.max features")
        self.nodeSize = nodeSize

        var total = BoundingBox.empty
        var keys: [UInt64] = []
        keys.reserveCapacity(boxes.count)
        for box in boxes where box.minX <= box.maxX && box.minY <= box.maxY {
            total.extend(with: box)
        }
        let scaleX = total.width > 0 && total.width.isFinite ? 65535 / total.width : 0
        let scaleY = total.height > 0 && total.height.isFinite ? 65535 / total.height : 0
        for (featureIndex, box) in boxes.enumerated() where box.minX <= box.maxX && box.minY <= box.maxY {
            let x = Self.gridCoordinate((box.minX + box.maxX) / 2, origin: total.minX, scale: scaleX)
            let y = Self.gridCoordinate((box.minY + box.maxY) / 2, origin: total.minY, scale: scaleY)
            keys.append(UInt64(Self.hilbert(x, y)) << 32 | UInt64(featureIndex))
        }
        keys.sort()
        self.bounds = total

        var nodes: [BoundingBox] = []
        var itemFeatures: [Int32] = []
        nodes.reserveCapacity(keys.count + keys.count / (nodeSize - 1) + 1)
        itemFeatures.reserveCapacity(keys.count)
        for key in keys {
            let featureIndex = Int(key & 0xFFFF_FFFF)
            nodes.append(boxes[featureIndex])
            itemFeatures.append(Int32(featureIndex))
        }

        var levelStarts = [0]
        var levelStart = 0
        var levelCount = nodes.count
        while levelCount > 1 {
            let parentStart = nodes.count
            var child = levelStart
            let levelEnd = levelStart + levelCount
            while child < levelEnd {
                let end = min(child + nodeSize, levelEnd)
                var box = nodes[child]
                for sibling in (child + 1)..<end { box.extend(with: nodes[sibling]) }
                nodes.append(box)
                child = end
            }
            levelStarts.append(parentStart)
            levelStart = parentStart
            levelCount = nodes.count - parentStart
        }
        levelStarts.append(nodes.count)

        self.nodes = nodes
        self.itemFeatures = itemFeatures
        self.levelStarts = levelStarts
    }

    /// Replaces `results` with the indices of the features whose boxes intersect `box`
    /// (touching counts), in ascending order. Reusing one `results` array across queries
    /// avoids allocating.
    public func query(_ box: BoundingBox, into results: inout [Int32]) {
        results.removeAll(keepingCapacity: true)
        guard !itemFeatures.isEmpty, box.minX <= box.maxX, box.minY <= box.maxY, bounds.intersects(box) else {
            return
        }
        let topLevel = levelStarts.count - 2
        nodes.withUnsafeBufferPointer { nodes in
            itemFeatures.withUnsafeBufferPointer { items in
                levelStarts.withUnsafeBufferPointer { levelStarts in
                    let tree = Tree(nodes: nodes, items: items, levelStarts: levelStarts, nodeSize: nodeSize)
                    tree.search(level: topLevel, from: levelStarts[topLevel], to: levelStarts[topLevel + 1], box, &results)
                }
            }
        }
        results.sort()
    }

    /// The indices of the features whose boxes intersect `box`, in ascending order.
    public func query(_ box: BoundingBox) -> [Int32] {
        var results: [Int32] = []
        query(box, into: &results)
        return results
    }

    /// Calls `body` with each feature index whose box intersects `box`, in ascending order.
    public func forEach(intersecting box: BoundingBox, _ body: (Int32) throws -> Void) rethrows {
        for featureIndex in query(box) { try body(featureIndex) }
    }

    /// Read-only views of the packed arrays for one query.
    private struct Tree {
        let nodes: UnsafeBufferPointer<BoundingBox>
        let items: UnsafeBufferPointer<Int32>
        let levelStarts: UnsafeBufferPointer<Int>
        let nodeSize: Int

        func search(level: Int, from start: Int, to end: Int, _ box: BoundingBox, _ results: inout [Int32]) {
            let levelStart = levelStarts[level]
            for position in start..<end {
                let node = nodes[position]
                guard node.intersects(box) else { continue }
                if level == 0 {
                    results.append(items[position])
                } else if box.minX <= node.minX && box.maxX >= node.maxX && box.minY <= node.minY && box.maxY >= node.maxY {
                    appendAllItems(level: level, node: position - levelStart, &results)
                } else {
                    let childLevelStart = levelStarts[level - 1]
                    let childStart = childLevelStart + (position - levelStart) * nodeSize
                    let childEnd = min(childStart + nodeSize, levelStart)
                    search(level: level - 1, from: childStart, to: childEnd, box, &results)
                }
            }
        }

        /// Every item under a node lies inside the query: they are a contiguous run of level 0.
        func appendAllItems(level: Int, node: Int, _ results: inout [Int32]) {
            var span = 1
            for _ in 0..<level { span *= nodeSize }
            let first = node * span
            let last = min(first + span, items.count)
            results.append(contentsOf: items[first..<last])
        }
    }

    private static func gridCoordinate(_ value: Double, origin: Double, scale: Double) -> UInt32 {
        let scaled = (value - origin) * scale
        guard scaled.isFinite, scaled > 0 else { return 0 }
        return scaled >= 65535 ? 65535 : UInt32(scaled)
    }

    /// Position of (x, y) on a 16-bit Hilbert curve (the branch-free form used by Flatbush).
    private static func hilbert(_ x: UInt32, _ y: UInt32) -> UInt32 {
        var a = x ^ y
        var b = 0xFFFF ^ a
        var c = 0xFFFF ^ (x | y)
        var d = x & (y ^ 0xFFFF)

        var A = a | (b >> 1)
        var B = (a >> 1) ^ a
        var C = ((c >> 1) ^ (b & (d >> 1))) ^ c
        var D = ((a & (c >> 1)) ^ (d >> 1)) ^ d

        a = A; b = B; c = C; d = D
        A = (a & (a >> 2)) ^ (b & (b >> 2))
        B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2))
        C ^= (a & (c >> 2)) ^ (b & (d >> 2))
        D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2))

        a = A; b = B; c = C; d = D
        A = (a & (a >> 4)) ^ (b & (b >> 4))
        B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4))
        C ^= (a & (c >> 4)) ^ (b & (d >> 4))
        D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4))

        a = A; b = B; c = C; d = D
        C ^= (a & (c >> 8)) ^ (b & (d >> 8))
        D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8))

        a = C ^ (C >> 1)
        b = D ^ (D >> 1)

        var i0 = x ^ y
        var i1 = b | (0xFFFF ^ (i0 | a))

        i0 = (i0 | (i0 << 8)) & 0x00FF_00FF
        i0 = (i0 | (i0 << 4)) & 0x0F0F_0F0F
        i0 = (i0 | (i0 << 2)) & 0x3333_3333
        i0 = (i0 | (i0 << 1)) & 0x5555_5555

        i1 = (i1 | (i1 << 8)) & 0x00FF_00FF
        i1 = (i1 | (i1 << 4)) & 0x0F0F_0F0F
        i1 = (i1 | (i1 << 2)) & 0x3333_3333
        i1 = (i1 | (i1 << 1)) & 0x5555_5555

        return (i1 << 1) | i0
    }
}
