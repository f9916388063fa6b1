/// A canonical Huffman code (RFC 1951, 3.2.2) for given symbol frequencies, with no code longer than a limit.
struct HuffmanCode {
    /// Bits of each symbol's code; 0 for symbols that do not occur.
    var lengths: [UInt8]
    /// Each symbol's code, bit-reversed: deflate writes codes from their first bit on, least significant bit first.
    var codes: [UInt16]

    init(frequencies: [UInt32], limit: Int) {
        lengths = Self.lengths(frequencies, limit: limit)
        codes = Self.codes(lengths)
    }

    init(lengths: [UInt8]) {
        self.lengths = lengths
        codes = Self.codes(lengths)
    }

    /// Huffman's lengths; when one is over `limit`, again from flattened frequencies (halved, each at
    /// least 1) until none is. A little less tight than package-merge, and it runs on a few hundred symbols.
    private static func lengths(_ frequencies: [UInt32], limit: Int) -> [UInt8] {
        var weights = frequencies
        var lengths = [UInt8](repeating: 0, count: frequencies.count)
        while true {
            let used = weights.indices.filter { weights[$0] > 0 }.sorted { (weights[$0], $0) < (weights[$1], $1) }
            if used.isEmpty { return lengths }
            if used.count == 1 {
                lengths[used[0]] = 1
                return lengths
            }
            // Two queues: leaves by weight, then the merged nodes, which come out in weight order.
            var weight = used.map { weights[$0] }
            var parent = [Int](repeating: 0, count: 2 * used.count - 1)
            weight.reserveCapacity(parent.count)
            var nextLeaf = 0, nextNode = used.count
            func smallest() -> Int {
                if nextLeaf < used.count && (nextNode >= weight.count || weight[nextLeaf] <= weight[nextNode]) {
                    nextLeaf += 1
                    return nextLeaf - 1
                }
                nextNode += 1
                return nextNode - 1
            }
            for _ in 0..<(used.count - 1) {
                let a = smallest(), b = smallest()
                parent[a] = weight.count
                parent[b] = weight.count
                weight.append(weight[a] + weight[b])
            }
            var depth = [Int](repeating: 0, count: weight.count)
            for node in stride(from: weight.count - 2, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }
            if depth[0..<used.count].max()! <= limit {
                for (leaf, symbol) in used.enumerated() { lengths[symbol] = UInt8(depth[leaf]) }
                return lengths
            }
            for index in weights.indices where weights[index] > 0 { weights[index] = max(1, weights[index] >> 1) }
        }
    }

    private static func codes(_ lengths: [UInt8]) -> [UInt16] {
        var perLength = [Int](repeating: 0, count: 16)
        for length in lengths where length > 0 { perLength[Int(length)] += 1 }
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for bits in 1..<16 {
            code = (code + perLength[bits - 1]) << 1
            next[bits] = code
        }
        return lengths.map { length in
            guard length > 0 else { return 0 }
            var value = next[Int(length)]
            next[Int(length)] += 1
            var reversed = 0
            for _ in 0..<length {
                reversed = reversed << 1 | value & 1
                value >>= 1
            }
            return UInt16(reversed)
        }
    }
}
