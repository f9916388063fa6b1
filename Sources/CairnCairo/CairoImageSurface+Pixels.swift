internal import CCairo

extension CairoImageSurface {
    /// A surface holding a copy of a `width` x `height` region of premultiplied native-endian ARGB32 words
    /// (Cairo's own layout), starting at word (`x`, `y`) of an image `sourceWidth` words wide.
    public convenience init(argb: [UInt32], sourceWidth: Int, x: Int, y: Int, width: Int, height: Int) throws(CairoError) {
        try self.init(width: width, height: height)
        withPixels { data, stride in
            argb.withUnsafeBufferPointer { source in
                for row in 0..<height {
                    let start = (y + row) * sourceWidth + x
                    guard start >= 0, start + width <= source.count else { continue }
                    (data + row * stride).copyMemory(from: source.baseAddress! + start, byteCount: width * 4)
                }
            }
        }
    }

    /// The surface's pixels as premultiplied native-endian ARGB32 words, row by row without padding.
    public func argbWords() -> [UInt32] {
        withPixels { data, stride in
            var words = [UInt32](repeating: 0, count: width * height)
            words.withUnsafeMutableBufferPointer { target in
                for row in 0..<height {
                    UnsafeMutableRawPointer(target.baseAddress! + row * width).copyMemory(from: data + row * stride, byteCount: width * 4)
                }
            }
            return words
        }
    }
}
