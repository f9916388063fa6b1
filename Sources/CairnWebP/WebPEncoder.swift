internal import CWebP
import Foundation

/// WebP encoding of straight-alpha RGBA images with libwebp, lossless or lossy.
public enum WebPEncoder {
    /// How the image is compressed.
    public struct Settings: Sendable, Hashable, CustomStringConvertible {
        public var lossless: Bool
        /// 0-100: for lossy, the visual quality; for lossless, the effort spent on size.
        public var quality: Float
        /// libwebp's speed/size trade-off, 0 (fastest) to 6 (smallest).
        public var method: Int

        public init(lossless: Bool, quality: Float, method: Int) {
            self.lossless = lossless
            self.quality = quality
            self.method = method
        }

        /// Cairn's WebP tiles (`scripts/bench-formats`, README "Tile formats").
        public static let `default` = Settings(lossless: true, quality: 25, method: 1)

        public var description: String { lossless ? "lossless q\(Int(quality)) m\(method)" : "lossy q\(Int(quality)) m\(method)" }
    }

    /// Encodes `height` rows of `width` straight RGBA pixels, row `y` at `rgba + y * stride`.
    public static func encode(_ rgba: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int,
                              settings: Settings = .default) throws(WebPError) -> [UInt8] {
        guard width > 0, height > 0, width <= 16383, height <= 16383, stride >= width * 4 else {
            throw WebPError(.invalidDimensions, "cannot encode a \(width)x\(height) image with stride \(stride) as WebP: sides 1-16383, stride >= 4 * width")
        }
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var error = [CChar](repeating: 0, count: Int(CAIRN_WEBP_ERROR_SIZE))
        let status = error.withUnsafeMutableBufferPointer {
            cairn_webp_encode(rgba, Int32(width), Int32(height), Int32(stride), settings.lossless ? 1 : 0,
                              settings.quality, Int32(settings.method), &output, &size, $0.baseAddress!)
        }
        defer { cairn_webp_free(output) }
        guard status == 0, let output else {
            let text = error.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw WebPError(.encodingFailed, "libwebp could not encode a \(width)x\(height) image: \(text)")
        }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    /// Encodes straight RGBA held in an array (rows packed).
    public static func encode(_ rgba: [UInt8], width: Int, height: Int, settings: Settings = .default) throws(WebPError) -> [UInt8] {
        guard width > 0, height > 0, rgba.count >= width * height * 4 else {
            throw WebPError(.invalidDimensions, "cannot encode a \(width)x\(height) image from \(rgba.count) bytes as WebP")
        }
        let result = rgba.withUnsafeBufferPointer { buffer in
            Result { () throws(WebPError) -> [UInt8] in
                try encode(buffer.baseAddress!, width: width, height: height, stride: width * 4, settings: settings)
            }
        }
        return try result.get()
    }
}

/// Decodes WebP images to straight RGBA, for tests and image comparison.
public enum WebPDecoder {
    public static func decode(_ bytes: [UInt8]) throws(WebPError) -> (width: Int, height: Int, rgba: [UInt8]) {
        var pixels: UnsafeMutablePointer<UInt8>? = nil
        var width: Int32 = 0, height: Int32 = 0
        let status = bytes.withUnsafeBufferPointer { cairn_webp_decode_rgba($0.baseAddress, $0.count, &pixels, &width, &height) }
        guard status == 0, let pixels else { throw WebPError(.decodingFailed, "cannot decode \(bytes.count) bytes as WebP") }
        defer { cairn_webp_free(pixels) }
        return (Int(width), Int(height), Array(UnsafeBufferPointer(start: pixels, count: Int(width) * Int(height) * 4)))
    }
}
