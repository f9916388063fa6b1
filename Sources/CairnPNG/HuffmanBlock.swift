/// One final deflate block with dynamic Huffman codes (RFC 1951, 3.2.7) for the tokens of
/// `ScanlineDeflater`: literals are the byte, matches have bit 31 set, the length in bits 16–24 and
/// the distance − 1 in bits 0–15.
struct HuffmanBlock {
    let literals: HuffmanCode
    let distances: HuffmanCode

    init(literals literalFrequencies: [UInt32], distances distanceFrequencies: [UInt32]) {
        literals = HuffmanCode(frequencies: literalFrequencies, limit: 15)
        var distances = HuffmanCode(frequencies: distanceFrequencies, limit: 15)
        // A block with no matches still describes one distance code.
        if !distances.lengths.contains(where: { $0 > 0 }) {
            var lengths = distances.lengths
            lengths[0] = 1
            distances = HuffmanCode(lengths: lengths)
        }
        self.distances = distances
    }

    /// Writes the block at `output` (with room for all of it, and 8 bytes more); returns the bytes written.
    func write(tokens: UnsafeBufferPointer<UInt32>, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var bits = BitWriter(output)
        var literalCount = 286
        while literalCount > 257 && literals.lengths[literalCount - 1] == 0 { literalCount -= 1 }
        var distanceCount = 30
        while distanceCount > 1 && distances.lengths[distanceCount - 1] == 0 { distanceCount -= 1 }

        // Both code lengths, run-length coded with symbols 16 (repeat the last 3–6 times), 17 and 18
        // (3–10 and 11–138 zeros), and themselves Huffman coded.
        let all = Array(literals.lengths[..<literalCount]) + Array(distances.lengths[..<distanceCount])
        var runs: [(symbol: Int, extra: UInt32)] = []
        var lengthFrequencies = [UInt32](repeating: 0, count: 19)
        var index = 0
        while index < all.count {
            let value = Int(all[index])
            var run = 1
            while index + run < all.count && Int(all[index + run]) == value { run += 1 }
            if value == 0 && run >= 3 {
                let taken = min(run, 138)
                runs.append(taken >= 11 ? (18, UInt32(taken - 11)) : (17, UInt32(taken - 3)))
                index += taken
            } else if value != 0 && run >= 4 {
                runs.append((value, 0))
                index += 1
                run -= 1
                while run >= 3 {
                    let taken = min(run, 6)
                    runs.append((16, UInt32(taken - 3)))
                    index += taken
                    run -= taken
                }
            } else {
                runs.append((value, 0))
                index += 1
            }
        }
        for run in runs { lengthFrequencies[run.symbol] += 1 }
        let lengthCode = HuffmanCode(frequencies: lengthFrequencies, limit: 7)
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var lengthCodeCount = 19
        while lengthCodeCount > 4 && lengthCode.lengths[order[lengthCodeCount - 1]] == 0 { lengthCodeCount -= 1 }

        bits.put(1, 1)  // final block
        bits.put(2, 2)  // dynamic Huffman codes
        bits.put(UInt32(literalCount - 257), 5)
        bits.put(UInt32(distanceCount - 1), 5)
        bits.put(UInt32(lengthCodeCount - 4), 4)
        for symbol in order[..<lengthCodeCount] { bits.put(UInt32(lengthCode.lengths[symbol]), 3) }
        for run in runs {
            bits.put(UInt32(lengthCode.codes[run.symbol]), Int(lengthCode.lengths[run.symbol]))
            switch run.symbol {
            case 16: bits.put(run.extra, 2)
            case 17: bits.put(run.extra, 3)
            case 18: bits.put(run.extra, 7)
            default: break
            }
        }

        // Each symbol's code in bits 0–15 and its length in bits 16–23, so writing one takes one lookup.
        let literalEntries = zip(literals.codes, literals.lengths).map { UInt32($0) | UInt32($1) << 16 }
        let distanceEntries = zip(distances.codes, distances.lengths).map { UInt32($0) | UInt32($1) << 16 }
        literalEntries.withUnsafeBufferPointer { literalEntry in
        distanceEntries.withUnsafeBufferPointer { distanceCodeEntry in
        DeflateSymbols.lengthEntry.withUnsafeBufferPointer { lengthEntry in
        DeflateSymbols.distanceEntry.withUnsafeBufferPointer { distanceEntry in
        DeflateSymbols.nearDistanceCode.withUnsafeBufferPointer { nearDistanceCode in
        DeflateSymbols.farDistanceCode.withUnsafeBufferPointer { farDistanceCode in
            for token in tokens {
                if token & 0x8000_0000 == 0 {
                    let entry = literalEntry[Int(token)]
                    bits.put(entry & 0xFFFF, Int(entry >> 16))
                    continue
                }
                let length = lengthEntry[Int(token >> 16 & 0x1FF)]
                let code = literalEntry[257 &+ Int(length & 0xFF)]
                bits.put(code & 0xFFFF, Int(code >> 16))
                bits.put(length >> 16, Int(length >> 8 & 0xFF))
                let distance = Int(token & 0xFFFF) &+ 1
                let symbol = Int(distance <= 512 ? nearDistanceCode[distance &- 1] : farDistanceCode[(distance &- 1) >> 8])
                let distanceCode = distanceCodeEntry[symbol]
                bits.put(distanceCode & 0xFFFF, Int(distanceCode >> 16))
                let extra = distanceEntry[symbol]
                bits.put(UInt32(truncatingIfNeeded: distance) &- (extra & 0xFFFF), Int(extra >> 16))
            }
        }}}}}}
        bits.put(UInt32(literals.codes[256]), Int(literals.lengths[256]))
        return bits.finish()
    }
}
