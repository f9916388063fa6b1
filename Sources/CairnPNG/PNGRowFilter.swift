/// PNG row filtering (PNG spec §9): each row is prefixed by its filter type; with `adaptive`, the
/// filter of least absolute sum is chosen per row (the spec's recommended heuristic).
enum PNGRowFilter {
    /// `rows`: `height` packed rows of `rowBytes` bytes; `bytesPerPixel` ≥ 1 (1 for packed palettes).
    static func scanlines(_ rows: UnsafeBufferPointer<UInt8>, rowBytes: Int, height: Int, bytesPerPixel: Int, adaptive: Bool) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (rowBytes + 1) * height)
        out.withUnsafeMutableBufferPointer { target in
            var candidate = [UInt8](repeating: 0, count: rowBytes)
            for y in 0..<height {
                let row = rows.baseAddress! + y * rowBytes
                let line = target.baseAddress! + y * (rowBytes + 1)
                guard adaptive else {
                    line[0] = 0
                    (line + 1).update(from: row, count: rowBytes)
                    continue
                }
                let above: UnsafePointer<UInt8>? = y > 0 ? UnsafePointer(rows.baseAddress! + (y - 1) * rowBytes) : nil
                var best = Int.max
                for filter in 0...4 {
                    var sum = 0
                    candidate.withUnsafeMutableBufferPointer { c in
                        for i in 0..<rowBytes {
                            let a = i >= bytesPerPixel ? Int(row[i - bytesPerPixel]) : 0
                            let b = above.map { Int($0[i]) } ?? 0
                            let cc = (i >= bytesPerPixel ? above.map { Int($0[i - bytesPerPixel]) } : nil) ?? 0
                            let predictor: Int
                            switch filter {
                            case 0: predictor = 0
                            case 1: predictor = a
                            case 2: predictor = b
                            case 3: predictor = (a + b) / 2
                            default: predictor = paeth(a, b, cc)
                            }
                            let value = UInt8(truncatingIfNeeded: Int(row[i]) - predictor)
                            c[i] = value
                            sum += value < 128 ? Int(value) : 256 - Int(value)
                        }
                    }
                    if sum < best {
                        best = sum
                        line[0] = UInt8(filter)
                        candidate.withUnsafeBufferPointer { (line + 1).update(from: $0.baseAddress!, count: rowBytes) }
                    }
                }
            }
        }
        return out
    }

    private static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }
}
