internal import CPNG
import Synchronization

/// PNG encoding of 8-bit images for tiles: truecolour (RGB when every pixel is opaque, else RGBA) or
/// palette (≤ 256 colours, `PaletteQuantizer`), deflated as `PNGCompression` says, and a cached 1-bit
/// palette image when every pixel has the same colour.
public enum PNGEncoder {
    /// Encodes `height` rows of `width` pixels, row `y` starting at `pixels + y * stride`.
    /// Premultiplied input is written with straight alpha, as PNG requires.
    /// - Parameter palette: quantise to at most 256 colours (exactly when the image has no more),
    ///   with no dithering, and write a palette PNG with tRNS for translucent entries.
    /// - Parameter compression: nil: `PNGCompression.palette` or `.default`.
    public static func encode(
        _ pixels: UnsafeRawPointer, width: Int, height: Int, stride: Int,
        format: PNGPixelFormat = .argb32Premultiplied, compression: PNGCompression? = nil, palette: Bool = false
    ) throws(PNGError) -> [UInt8] {
        guard width > 0, height > 0, width <= 1 << 20, height <= 1 << 20, stride >= width * 4 else {
            throw PNGError(.invalidDimensions,
                           "cannot encode a \(width)x\(height) image with stride \(stride): expected positive sizes and stride >= 4 * width")
        }
        let compression = compression ?? (palette ? .palette : .default)
        let bytes = pixels.assumingMemoryBound(to: UInt8.self)
        if !palette && !compression.filtered && compression.deflater != .zlib {
            // Tiles are nearly always opaque: RGB scanlines in the same pass that checks it.
            var flags: Int32 = 0
            let scanlines = [UInt8](unsafeUninitializedCapacity: (1 + width * 3) * height) { buffer, initialized in
                flags = cairn_png_rgb_scanlines(bytes, Int32(width), Int32(height), stride, format.shimValue, buffer.baseAddress)
                initialized = buffer.count
            }
            if flags & Int32(CAIRN_PNG_OPAQUE) != 0 {
                if flags & Int32(CAIRN_PNG_UNIFORM) == 0 {
                    return try truecolour(scanlines: scanlines, width: width, height: height, channels: 3, compression: compression)
                }
                // Open sea, empty land: every pixel is the first, which is opaque.
                var rgba: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
                withUnsafeMutableBytes(of: &rgba) { cairn_png_straight_rgba(bytes, format.shimValue, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
                return try uniform(width: width, height: height, rgba: rgba)
            }
        }
        let flags = cairn_png_scan(bytes, Int32(width), Int32(height), stride, format.shimValue)
        if flags & Int32(CAIRN_PNG_UNIFORM) != 0 {
            var rgba: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &rgba) { cairn_png_straight_rgba(bytes, format.shimValue, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
            return try uniform(width: width, height: height, rgba: rgba)
        }
        let opaque = flags & Int32(CAIRN_PNG_OPAQUE) != 0
        if !palette && compression.deflater == .zlib {
            return try runShim("encode a \(width)x\(height) image") { buffer, error in
                cairn_png_encode(bytes, Int32(width), Int32(height), stride, format.shimValue,
                                 Int32(max(0, min(9, compression.level))), compression.filtered ? 1 : 0, buffer, error)
            }
        }
        if !palette && !compression.filtered {
            // One pass from the canvas to the scanlines deflate reads.
            let channels = opaque ? 3 : 4
            let scanlines = [UInt8](unsafeUninitializedCapacity: (1 + width * channels) * height) { buffer, initialized in
                cairn_png_unfiltered_scanlines(bytes, Int32(width), Int32(height), stride, format.shimValue, Int32(channels), buffer.baseAddress)
                initialized = buffer.count
            }
            return try truecolour(scanlines: scanlines, width: width, height: height, channels: channels, compression: compression)
        }
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        rgba.withUnsafeMutableBufferPointer { cairn_png_to_rgba(bytes, Int32(width), Int32(height), stride, format.shimValue, $0.baseAddress) }
        return try rgba.withUnsafeBufferPointer { buffer throws(PNGError) in
            palette ? try encodePalette(buffer, width: width, height: height, compression: compression)
                    : try encodeTruecolour(buffer, width: width, height: height, opaque: opaque, compression: compression)
        }
    }

    /// Encodes pixels held in an array; `stride` defaults to `4 * width`.
    public static func encode(
        _ pixels: [UInt8], width: Int, height: Int, stride: Int? = nil,
        format: PNGPixelFormat = .rgba, compression: PNGCompression? = nil, palette: Bool = false
    ) throws(PNGError) -> [UInt8] {
        let rowBytes = stride ?? width * 4
        guard width > 0, height > 0, pixels.count >= rowBytes * (height - 1) + width * 4 else {
            throw PNGError(.invalidDimensions,
                           "cannot encode a \(width)x\(height) image from \(pixels.count) bytes with stride \(rowBytes)")
        }
        let result = pixels.withUnsafeBytes { raw in
            Result { () throws(PNGError) -> [UInt8] in
                try encode(raw.baseAddress!, width: width, height: height, stride: rowBytes,
                           format: format, compression: compression, palette: palette)
            }
        }
        return try result.get()
    }

    /// The pixels as packed straight-alpha RGBA (what other encoders, such as WebP's, take).
    public static func straightRGBA(_ pixels: UnsafeRawPointer, width: Int, height: Int, stride: Int,
                                    format: PNGPixelFormat = .argb32Premultiplied) -> [UInt8] {
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        rgba.withUnsafeMutableBufferPointer {
            cairn_png_to_rgba(pixels.assumingMemoryBound(to: UInt8.self), Int32(width), Int32(height), stride, format.shimValue, $0.baseAddress)
        }
        return rgba
    }

    /// A truecolour PNG of unfiltered RGB (3 channels) or RGBA (4) scanlines.
    private static func truecolour(scanlines: [UInt8], width: Int, height: Int, channels: Int,
                                   compression: PNGCompression) throws(PNGError) -> [UInt8] {
        let writer = PNGChunkWriter(width: width, height: height, bitDepth: 8, colourType: channels == 3 ? .rgb : .rgba)
        guard compression.deflater == .scanline else { return try writer.write(scanlines: scanlines, level: compression.level) }
        let stream = scanlines.withUnsafeBufferPointer {
            ScanlineDeflater.zlib($0, pixelBytes: channels, rowBytes: 1 + width * channels)
        }
        return writer.write(zlibStream: stream[...])
    }

    /// RGB or RGBA through `PNGChunkWriter` (libdeflate).
    private static func encodeTruecolour(_ rgba: UnsafeBufferPointer<UInt8>, width: Int, height: Int, opaque: Bool,
                                         compression: PNGCompression) throws(PNGError) -> [UInt8] {
        let channels = opaque ? 3 : 4
        var rows = [UInt8](repeating: 0, count: width * height * channels)
        if opaque {
            for i in 0..<(width * height) {
                rows[3 * i] = rgba[4 * i]
                rows[3 * i + 1] = rgba[4 * i + 1]
                rows[3 * i + 2] = rgba[4 * i + 2]
            }
        } else {
            _ = rows.withUnsafeMutableBufferPointer { $0.update(fromContentsOf: rgba) }
        }
        let scanlines = rows.withUnsafeBufferPointer {
            PNGRowFilter.scanlines($0, rowBytes: width * channels, height: height, bytesPerPixel: channels, adaptive: compression.filtered)
        }
        let writer = PNGChunkWriter(width: width, height: height, bitDepth: 8, colourType: opaque ? .rgb : .rgba)
        return try writer.write(scanlines: scanlines, level: compression.level)
    }

    /// A palette PNG: 1, 2, 4 or 8 bits per pixel as the palette's size allows.
    private static func encodePalette(_ rgba: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                                      compression: PNGCompression) throws(PNGError) -> [UInt8] {
        let quantized = PaletteQuantizer.quantize(rgba, pixelCount: width * height)
        let count = quantized.colours.count
        let bits = count <= 2 ? 1 : count <= 4 ? 2 : count <= 16 ? 4 : 8
        let rowBytes = (width * bits + 7) / 8
        var rows = [UInt8](repeating: 0, count: rowBytes * height)
        let perByte = 8 / bits
        for y in 0..<height {
            for x in 0..<width {
                let index = quantized.indices[y * width + x]
                let shift = (perByte - 1 - x % perByte) * bits
                rows[y * rowBytes + x / perByte] |= index << shift
            }
        }
        var writer = PNGChunkWriter(width: width, height: height, bitDepth: UInt8(bits), colourType: .palette)
        writer.palette.reserveCapacity(count * 3)
        for colour in quantized.colours {
            writer.palette += [UInt8(colour & 0xFF), UInt8(colour >> 8 & 0xFF), UInt8(colour >> 16 & 0xFF)]
            if colour >> 24 != 255 { writer.transparency.append(UInt8(colour >> 24)) }
        }
        let scanlines = rows.withUnsafeBufferPointer {
            PNGRowFilter.scanlines($0, rowBytes: rowBytes, height: height, bytesPerPixel: 1, adaptive: compression.filtered)
        }
        let level = compression.deflater == .zlib ? min(12, compression.level) : compression.level
        return try writer.write(scanlines: scanlines, level: level)
    }

    /// A `width`×`height` image of one straight-alpha colour, as a tiny 1-bit palette PNG.
    /// Results are cached, since open sea and empty land repeat the same few tiles endlessly.
    public static func uniform(width: Int, height: Int, rgba: (UInt8, UInt8, UInt8, UInt8)) throws(PNGError) -> [UInt8] {
        let key = UniformKey(width: width, height: height,
                             colour: UInt32(rgba.0) << 24 | UInt32(rgba.1) << 16 | UInt32(rgba.2) << 8 | UInt32(rgba.3))
        if let cached = uniformCache.withLock({ $0[key] }) { return cached }
        let colour = [rgba.0, rgba.1, rgba.2, rgba.3]
        let encoded = try runShim("encode a uniform \(width)x\(height) image") { buffer, error in
            cairn_png_encode_uniform(Int32(width), Int32(height), colour, buffer, error)
        }
        uniformCache.withLock { cache in
            // Bounded so a pathological style (every tile a different flat colour) cannot grow it forever.
            if cache.count >= 4096 { cache.removeAll() }
            cache[key] = encoded
        }
        return encoded
    }

    private struct UniformKey: Hashable {
        var width: Int
        var height: Int
        var colour: UInt32
    }

    private static let uniformCache = Mutex<[UniformKey: [UInt8]]>([:])

    private static func runShim(
        _ what: String,
        _ body: (UnsafeMutablePointer<cairn_png_buffer>, UnsafeMutablePointer<CChar>) -> Int32
    ) throws(PNGError) -> [UInt8] {
        var buffer = cairn_png_buffer(data: nil, size: 0, capacity: 0)
        var error = [CChar](repeating: 0, count: Int(CAIRN_PNG_ERROR_SIZE))
        let status = error.withUnsafeMutableBufferPointer { body(&buffer, $0.baseAddress!) }
        defer { free(buffer.data) }
        guard status == 0, let data = buffer.data else {
            let text = error.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw PNGError(.encodingFailed, "libpng could not \(what): \(text)")
        }
        return Array(UnsafeBufferPointer(start: data, count: buffer.size))
    }
}
