internal import CairnPNG

/// One sprite sheet at one pixel ratio: its images' index and pixels, plus the `.json` and `.png` bytes
/// served to clients. Immutable and shared between render threads; Cairo surfaces are cut from it per canvas.
public final class SpriteSheet: Sendable {
    public let pixelRatio: Double
    public let width: Int
    public let height: Int
    public let images: [String: SpriteImage]
    /// Premultiplied native-endian ARGB32, Cairo's layout, row by row.
    let argb: [UInt32]
    /// `sprite.json` / `sprite.png` as served.
    public let jsonBytes: [UInt8]
    public let pngBytes: [UInt8]

    init(pixelRatio: Double, width: Int, height: Int, images: [String: SpriteImage], argb: [UInt32], jsonBytes: [UInt8], pngBytes: [UInt8]) {
        self.pixelRatio = pixelRatio
        self.width = width
        self.height = height
        self.images = images
        self.argb = argb
        self.jsonBytes = jsonBytes
        self.pngBytes = pngBytes
    }

    /// Reads a sheet from its index and image.
    /// - Parameters:
    ///   - jsonFile, pngFile: name the files in errors.
    ///   - pixelRatio: the sheet's ratio (1 for `sprite`, 2 for `sprite@2x`); each image states its own
    ///     (`pixelRatio`, 1 when absent, as in MapLibre).
    public static func load(json: [UInt8], jsonFile: String, png: [UInt8], pngFile: String, pixelRatio: Double) throws(SpriteError) -> SpriteSheet {
        let image: PNGDecoder.Image
        do {
            image = try PNGDecoder.decode(png)
        } catch {
            throw SpriteError(.invalidImage, file: pngFile, "not a readable PNG: \(error)")
        }
        let images = try SpriteIndex.parse(json, file: jsonFile, sheetWidth: image.width, sheetHeight: image.height)
        return SpriteSheet(pixelRatio: pixelRatio, width: image.width, height: image.height, images: images,
                           argb: premultiplied(image.rgba), jsonBytes: json, pngBytes: png)
    }

    /// Straight RGBA bytes → premultiplied ARGB32 words.
    static func premultiplied(_ rgba: [UInt8]) -> [UInt32] {
        var words = [UInt32](repeating: 0, count: rgba.count / 4)
        rgba.withUnsafeBufferPointer { p in
            for i in words.indices {
                let a = UInt32(p[4 * i + 3])
                guard a > 0 else { continue }
                func pre(_ c: UInt8) -> UInt32 { (UInt32(c) * a + 127) / 255 }
                words[i] = a << 24 | pre(p[4 * i]) << 16 | pre(p[4 * i + 1]) << 8 | pre(p[4 * i + 2])
            }
        }
        return words
    }
}
