internal import CPNG
import Synchronization

/// Fast PNG encoding of 8-bit images: no row filter and zlib level 1 by default, RGB when every pixel
/// is opaque, and a cached 1-bit palette image when every pixel has the same colour.
public enum PNGEncoder {
    /// Encodes `height` rows of `width` pixels, row `y` starting at `pixels + y * stride`.
    /// Premultiplied input is written with straight alpha, as PNG requires.
    public static func encode(
        _ pixels: UnsafeRawPointer, width: Int, height: Int, stride: Int,
        format: PNGPixelFormat = .argb32Premultiplied, compressionLevel: Int = 1
    ) throws(PNGError) -> [UInt8] {
        guard width > 0, height > 0, width <= 1 << 20, height <= 1 << 20, stride >= width * 4 else {
            throw PNGError(.invalidDimensions,
                           "cannot encode a \(width)x\(height) image with stride \(stride): expected positive sizes and stride >= 4 * width")
        }
        let bytes = pixels.assumingMemoryBound(to: UInt8.self)
        let flags = cairn_png_scan(bytes, Int32(width), Int32(height), stride, format.shimValue)
        if flags & Int32(CAIRN_PNG_UNIFORM) != 0 {
            var rgba: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &rgba) { cairn_png_straight_rgba(bytes, format.shimValue, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
            return try uniform(width: width, height: height, rgba: rgba)
        }
        return try runShim("encode a \(width)x\(height) image") { buffer, error in
            cairn_png_encode(bytes, Int32(width), Int32(height), stride, format.shimValue,
                             Int32(max(0, min(9, compressionLevel))), buffer, error)
        }
    }

    /// Encodes pixels held in an array; `stride` defaults to `4 * width`.
    public static func encode(
        _ pixels: [UInt8], width: Int, height: Int, stride: Int? = nil,
        format: PNGPixelFormat = .rgba, compressionLevel: Int = 1
    ) throws(PNGError) -> [UInt8] {
        let rowBytes = stride ?? width * 4
        guard width > 0, height > 0, pixels.count >= rowBytes * (height - 1) + width * 4 else {
            throw PNGError(.invalidDimensions,
                           "cannot encode a \(width)x\(height) image from \(pixels.count) bytes with stride \(rowBytes)")
        }
        let result = pixels.withUnsafeBytes { raw in
            Result { () throws(PNGError) -> [UInt8] in
                try encode(raw.baseAddress!, width: width, height: height, stride: rowBytes,
                           format: format, compressionLevel: compressionLevel)
            }
        }
        return try result.get()
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
