/// Reduces a straight-alpha RGBA image to at most 256 colours without dithering, for palette PNGs
/// (Mapnik's `png8` does the same with its hextree). A tile with at most 256 colours keeps them all,
/// exactly. Otherwise the colours covering a noticeable share of the tile (land-use and water fills,
/// the background) keep their exact values, so flat areas never shift or band, and a median cut in
/// premultiplied RGBA shares the remaining entries among the antialiased edges and label halos.
enum PaletteQuantizer {
    struct Palette {
        /// Entries as R, G, B, A bytes packed little-endian (`r | g << 8 | b << 16 | a << 24`);
        /// the translucent ones first, so the tRNS chunk can stop after them.
        var colours: [UInt32]
        /// One palette index per pixel.
        var indices: [UInt8]
    }

    /// A colour must cover at least 1/`reservedShare` of the pixels to keep its exact value.
    static let reservedShare = 1024

    static func quantize(_ rgba: UnsafeBufferPointer<UInt8>, pixelCount: Int, maxColours: Int = 256) -> Palette {
        let raw = UnsafeRawPointer(rgba.baseAddress!)
        @inline(__always) func key(_ i: Int) -> UInt32 {
            let word = raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian
            return word >> 24 == 0 ? 0 : word  // every fully transparent pixel is one colour
        }
        // Histogram; map tiles are mostly runs of one fill, so runs skip the hash lookups.
        var counts: [UInt32: Int] = [:]
        var last = key(0), run = 0
        for i in 0..<pixelCount {
            let k = key(i)
            if k == last { run += 1; continue }
            counts[last, default: 0] += run
            last = k
            run = 1
        }
        counts[last, default: 0] += run

        var entries: [UInt32]
        var lookup: [UInt32: UInt8] = [:]
        if counts.count <= maxColours {
            entries = Array(counts.keys)
        } else {
            let byCount = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            let threshold = max(2, pixelCount / reservedShare)
            let reserved = byCount.prefix { $0.value >= threshold }.prefix(maxColours / 2).map(\.key)
            let rest = byCount.dropFirst(reserved.count).map { Weighted(colour: $0.key, count: $0.value) }
            entries = reserved + medianCut(rest, boxes: maxColours - reserved.count)
        }
        entries.sort { ($0 >> 24 == 255 ? 1 : 0, $0) < ($1 >> 24 == 255 ? 1 : 0, $1) }
        let exact = counts.count <= maxColours
        let premultipliedEntries = entries.map(Premultiplied.init)
        for colour in counts.keys {
            if exact { lookup[colour] = UInt8(entries.firstIndex(of: colour)!); continue }
            lookup[colour] = nearest(Premultiplied(colour), in: premultipliedEntries)
        }

        var indices = [UInt8](repeating: 0, count: pixelCount)
        var lastKey = key(0), lastIndex = lookup[lastKey]!
        for i in 0..<pixelCount {
            let k = key(i)
            if k != lastKey {
                lastKey = k
                lastIndex = lookup[k]!
            }
            indices[i] = lastIndex
        }
        return Palette(colours: entries, indices: indices)
    }

    private struct Weighted {
        var colour: UInt32
        var count: Int
    }

    /// R, G, B scaled by alpha, and alpha: distances there weigh colour by how much of it shows.
    private struct Premultiplied {
        var channels: SIMD4<Int32>

        init(_ colour: UInt32) {
            let a = Int32(colour >> 24)
            channels = SIMD4(Int32(colour & 0xFF) * a / 255, Int32(colour >> 8 & 0xFF) * a / 255,
                             Int32(colour >> 16 & 0xFF) * a / 255, a)
        }
    }

    private static func nearest(_ colour: Premultiplied, in palette: [Premultiplied]) -> UInt8 {
        var best = 0, bestDistance = Int32.max
        for (index, entry) in palette.enumerated() {
            let d = entry.channels &- colour.channels
            let distance = (d &* d).wrappedSum()
            if distance < bestDistance {
                bestDistance = distance
                best = index
                if distance == 0 { break }
            }
        }
        return UInt8(best)
    }

    /// Splits the colours into at most `boxes` boxes, always the box of most pixels times widest
    /// channel range, at its pixel-weighted median; each box becomes its weighted mean colour.
    private static func medianCut(_ colours: [Weighted], boxes: Int) -> [UInt32] {
        guard !colours.isEmpty, boxes > 0 else { return [] }
        var items = colours.map { (Premultiplied($0.colour).channels, $0.count) }
        var ranges: [Range<Int>] = [0..<items.count]
        func extent(_ range: Range<Int>) -> (channel: Int, width: Int32, weight: Int) {
            var low = SIMD4<Int32>(repeating: .max), high = SIMD4<Int32>(repeating: .min), weight = 0
            for i in range {
                low = pointwiseMin(low, items[i].0)
                high = pointwiseMax(high, items[i].0)
                weight += items[i].1
            }
            let widths = high &- low
            var channel = 0
            for c in 1..<4 where widths[c] > widths[channel] { channel = c }
            return (channel, widths[channel], weight)
        }
        while ranges.count < boxes {
            var pick = -1, pickScore = 0.0, pickChannel = 0
            for (index, range) in ranges.enumerated() where range.count > 1 {
                let (channel, width, weight) = extent(range)
                let score = Double(width) * Double(weight).squareRoot()
                if score > pickScore { pickScore = score; pick = index; pickChannel = channel }
            }
            guard pick >= 0 else { break }
            let range = ranges[pick]
            items[range].sort { $0.0[pickChannel] < $1.0[pickChannel] }
            let total = items[range].reduce(0) { $0 + $1.1 }
            var running = 0, split = range.lowerBound + 1
            for i in range {
                running += items[i].1
                if running * 2 >= total { split = min(max(i + 1, range.lowerBound + 1), range.upperBound - 1); break }
            }
            ranges[pick] = range.lowerBound..<split
            ranges.append(split..<range.upperBound)
        }
        return ranges.map { range in
            var sum = SIMD4<Double>(repeating: 0), weight = 0.0
            for i in range {
                sum += SIMD4<Double>(items[i].0) * Double(items[i].1)
                weight += Double(items[i].1)
            }
            let mean = sum / weight
            let a = mean[3].rounded()
            guard a > 0 else { return 0 }
            func straight(_ v: Double) -> UInt32 { UInt32(max(0, min(255, (v * 255 / a).rounded()))) }
            return straight(mean[0]) | straight(mean[1]) << 8 | straight(mean[2]) << 16 | UInt32(a) << 24
        }
    }
}
