internal import CairnPNG
internal import CairnWebP

/// How rendered tiles are encoded: truecolour PNG, palette PNG (≤ 256 colours, no dithering) or WebP.
public enum TileImageFormat: String, Sendable, Hashable, CaseIterable {
    /// 24/32-bit PNG: every colour exact.
    case png32
    /// Palette PNG quantised to at most 256 colours (exact when the tile has no more), as Mapnik's `png8`.
    case png8
    /// WebP (`WebPEncoder.Settings.default`).
    case webp

    /// The MIME type tiles of this format are served with.
    public var contentType: String { self == .webp ? "image/webp" : "image/png" }

    /// The file extension and MBTiles `format` metadata value.
    public var fileExtension: String { self == .webp ? "webp" : "png" }

    /// Names the encoder and its settings; bump the palette version when the quantiser's output changes,
    /// so caches tell tiles of another encoder from current ones.
    public var encoderIdentity: String {
        switch self {
        case .png32: "png32"
        case .png8: "png8 quantiser 2"
        case .webp: "webp \(WebPEncoder.Settings.default)"
        }
    }

    /// Encodes `height` rows of `width` pixels of Cairo's premultiplied ARGB32, row `y` at `pixels + y * stride`.
    public func encode(_ pixels: UnsafeRawPointer, width: Int, height: Int, stride: Int) throws -> [UInt8] {
        switch self {
        case .png32:
            return try PNGEncoder.encode(pixels, width: width, height: height, stride: stride, format: .argb32Premultiplied)
        case .png8:
            return try PNGEncoder.encode(pixels, width: width, height: height, stride: stride, format: .argb32Premultiplied, palette: true)
        case .webp:
            let rgba = PNGEncoder.straightRGBA(pixels, width: width, height: height, stride: stride)
            return try WebPEncoder.encode(rgba, width: width, height: height)
        }
    }
}
