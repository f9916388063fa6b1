internal import CairnCore
internal import CLibdeflate

/// Deflate (RFC 1951, in a zlib stream) for the unfiltered scanlines of a truecolour tile, faster than
/// libdeflate's fastest level: 2.3 times as fast for 2 % more bytes on the tiles of `scripts/bench`, 1.26
/// times for 14 % more on the richer demo map (`cairn bench --formats-only`).
///
/// A map tile is mostly runs: a fill repeats the pixel to its left, a road's edge the row above. So at
/// each position this tries the pixel to the left, the pixel above, then the one earlier position with
/// the same four bytes that a hash table remembers, and takes the longest match greedily. It does not
/// hash the bytes a match covers (libdeflate's fastest level does, and that is most of its time on
/// tiles), and where nothing matches it writes a whole pixel of literals before looking again. All of
/// it goes out as one block with its own Huffman codes.
enum ScanlineDeflater {
    static let hashBits = 14
    static let window = 32_768
    static let longestMatch = 258
    static let shortestMatch = 4

    /// Buffers kept per thread (a tile's tokens take as many words as it has bytes), for inputs up to
    /// `keptInputSize`; a larger image (a whole canvas) gets buffers of its own.
    private final class Scratch {
        var tokens: [UInt32] = []
        var hashTable = [UInt32](repeating: 0, count: 1 << ScanlineDeflater.hashBits)
        var output: [UInt8] = []
    }

    private static let scratch = PerThread { Scratch() }
    /// A 512 px (@2x) RGBA tile's scanlines.
    static let keptInputSize = 512 * (1 + 512 * 4)

    /// A zlib stream of `input`, whose pixels are `pixelBytes` wide and whose rows (filter byte
    /// included) are `rowBytes` apart.
    static func zlib(_ input: UnsafeBufferPointer<UInt8>, pixelBytes: Int, rowBytes: Int) -> [UInt8] {
        let size = input.count
        let scratch = size <= keptInputSize ? Self.scratch.value : Scratch()
        if scratch.tokens.count < size { scratch.tokens = [UInt32](repeating: 0, count: size) }
        // Huffman codes are at most 15 bits, so even all literals fit in twice the input.
        let capacity = 2 * size + 1024
        if scratch.output.count < capacity { scratch.output = [UInt8](repeating: 0, count: capacity) }
        var literals = [UInt32](repeating: 0, count: 286)
        var distances = [UInt32](repeating: 0, count: 30)
        let tokenCount = scratch.tokens.withUnsafeMutableBufferPointer { tokens in
            scratch.hashTable.withUnsafeMutableBufferPointer { table in
                tokenize(input, pixelBytes: max(1, pixelBytes), rowBytes: max(1, rowBytes), tokens: tokens, table: table,
                         literals: &literals, distances: &distances)
            }
        }
        let adler = UInt32(libdeflate_adler32(1, input.baseAddress, input.count))
        return scratch.output.withUnsafeMutableBufferPointer { output in
            let base = output.baseAddress!
            base[0] = 0x78  // deflate, 32 KiB window
            base[1] = 0x01  // no dictionary, fastest compression; (0x78 << 8 | 0x01) is a multiple of 31
            var written = scratch.tokens.withUnsafeBufferPointer { tokens in
                HuffmanBlock(literals: literals, distances: distances).write(tokens: UnsafeBufferPointer(rebasing: tokens[..<tokenCount]), to: base + 2)
            }
            if written > size + (size / 65_535 + 1) * 5 {
                written = writeStored(input, to: base + 2)
            }
            var end = 2 + written
            for shift in [24, 16, 8, 0] {
                base[end] = UInt8(truncatingIfNeeded: adler >> UInt32(shift))
                end += 1
            }
            return Array(UnsafeBufferPointer(start: base, count: end))
        }
    }

    /// Literals (the byte) and matches (bit 31, the length in bits 16–24, the distance − 1 below),
    /// counting how often each deflate symbol occurs. Returns how many tokens there are.
    private static func tokenize(_ input: UnsafeBufferPointer<UInt8>, pixelBytes: Int, rowBytes: Int,
                                 tokens: UnsafeMutableBufferPointer<UInt32>, table: UnsafeMutableBufferPointer<UInt32>,
                                 literals: inout [UInt32], distances: inout [UInt32]) -> Int {
        table.update(repeating: 0)
        let size = input.count
        guard let bytes = input.baseAddress else { return 0 }
        // Tables and counts held locally: no lazy-global or uniqueness checks per byte.
        let lengthCode = DeflateSymbols.lengthCode, nearDistanceCode = DeflateSymbols.nearDistanceCode
        let farDistanceCode = DeflateSymbols.farDistanceCode
        let literalCounts = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 286)
        let distanceCounts = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 30)
        literalCounts.initialize(repeating: 0)
        distanceCounts.initialize(repeating: 0)
        defer {
            literals = Array(literalCounts)
            distances = Array(distanceCounts)
            literalCounts.deallocate()
            distanceCounts.deallocate()
        }
        let raw = UnsafeRawPointer(bytes)
        let out = tokens.baseAddress!
        var count = 0, position = 0
        while position < size {
            let limit = min(longestMatch, size &- position)
            var best = 0, distance = 0
            if limit >= shortestMatch {
                let current = raw.loadUnaligned(fromByteOffset: position, as: UInt32.self)
                if position >= pixelBytes, raw.loadUnaligned(fromByteOffset: position &- pixelBytes, as: UInt32.self) == current {
                    best = matchLength(raw + position, raw + (position &- pixelBytes), limit)
                    distance = pixelBytes
                }
                if best < limit, position >= rowBytes, rowBytes <= window,
                   raw.loadUnaligned(fromByteOffset: position &- rowBytes, as: UInt32.self) == current {
                    let length = matchLength(raw + position, raw + (position &- rowBytes), limit)
                    if length > best { best = length; distance = rowBytes }
                }
                // A long run needs no other candidate; short ones try the last position with these bytes.
                if best < 16 {
                    let slot = Int(truncatingIfNeeded: (current &* 0x9E37_79B1) >> UInt32(32 - hashBits))
                    let seen = Int(table[slot])
                    table[slot] = UInt32(truncatingIfNeeded: position &+ 1)
                    if seen > 0 {
                        let earlier = seen &- 1, back = position &- earlier
                        if back <= window, back != distance, raw.loadUnaligned(fromByteOffset: earlier, as: UInt32.self) == current {
                            let length = matchLength(raw + position, raw + earlier, limit)
                            if length > best { best = length; distance = back }
                        }
                    }
                }
            }
            if best >= shortestMatch {
                out[count] = 0x8000_0000 | UInt32(truncatingIfNeeded: best) << 16 | UInt32(truncatingIfNeeded: distance &- 1)
                count &+= 1
                literalCounts[257 &+ Int(lengthCode[best])] &+= 1
                let distanceSymbol = distance <= 512 ? nearDistanceCode[distance &- 1] : farDistanceCode[(distance &- 1) >> 8]
                distanceCounts[Int(distanceSymbol)] &+= 1
                position &+= best
            } else {
                let end = min(position &+ pixelBytes, size)
                while position < end {
                    let byte = bytes[position]
                    out[count] = UInt32(byte)
                    count &+= 1
                    literalCounts[Int(byte)] &+= 1
                    position &+= 1
                }
            }
        }
        literalCounts[256] = 1  // end of block
        return count
    }

    /// How many of the first `limit` bytes at `a` and `b` agree.
    @inline(__always)
    private static func matchLength(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ limit: Int) -> Int {
        var length = 0
        while length &+ 8 <= limit {
            let difference = a.loadUnaligned(fromByteOffset: length, as: UInt64.self) ^ b.loadUnaligned(fromByteOffset: length, as: UInt64.self)
            if difference != 0 { return length &+ difference.littleEndian.trailingZeroBitCount >> 3 }
            length &+= 8
        }
        while length < limit, a.load(fromByteOffset: length, as: UInt8.self) == b.load(fromByteOffset: length, as: UInt8.self) {
            length &+= 1
        }
        return length
    }

    /// Stored blocks (for input that would not compress); returns the bytes written.
    private static func writeStored(_ input: UnsafeBufferPointer<UInt8>, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0, start = 0
        repeat {
            let length = min(65_535, input.count - start)
            output[written] = start + length == input.count ? 1 : 0  // BFINAL, BTYPE 00, then byte-aligned
            output[written + 1] = UInt8(length & 0xFF)
            output[written + 2] = UInt8(length >> 8)
            output[written + 3] = ~UInt8(length & 0xFF)
            output[written + 4] = ~UInt8(length >> 8)
            written += 5
            if length > 0 { (output + written).update(from: input.baseAddress! + start, count: length) }
            written += length
            start += length
        } while start < input.count
        return written
    }
}
