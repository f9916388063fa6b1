import CairnCore
import CairnPNG
@testable import CairnRender
import Testing

/// Point labels are composed from glyphs rasterised once per thread (`GlyphRasterCache`); they must
/// look like the text's outlines filled and stroked by Cairo, as line labels still are.
@Suite struct GlyphRasterLabelTests {
    func render(_ text: String, at point: Point = px(150.3, 40.6), size: Double = 14, haloWidth: Double = 1.5,
                maxWidth: Double = 7, letterSpacing: Double = 0, scale: Double = 1, fromGlyphs: Bool) throws -> PNGDecoder.Image {
        let canvas = try makeCanvas(Int(300 * scale), Int(110 * scale), scale: scale,
                                    transform: PixelTransform(origin: Point(0, 0), pixelsPerUnit: scale))
        canvas.drawsPointLabelsFromGlyphRasters = fromGlyphs
        canvas.fillBackground(.hex(0xF2EFE9))
        var style = TextSymbolizer(text: text, size: size, color: .hex(0x4A3A28), haloColor: Color(red: 1, green: 1, blue: 1, alpha: 0.85),
                                   haloWidth: haloWidth, placement: .point)
        style.maxWidth = maxWidth
        style.letterSpacing = letterSpacing
        canvas.addLabel(for: .points([point]), style)
        #expect(canvas.drawLabels() == 1)
        return try pixels(of: canvas)
    }

    static let texts = ["Hải Phòng", "Nhà thuốc Gia Viên 9", "Cao tốc Hà Nội – Hải Phòng", "Đường Ngô Quyền",
                        "Chùa Cát Hải".decomposedStringWithCanonicalMapping]

    @Test(arguments: texts)
    func labelsFromGlyphsLookLikeTheirOutlines(text: String) throws {
        for (scale, letterSpacing) in [(1.0, 0.0), (2.0, 0.0), (1.0, 0.1)] {
            let outlines = try render(text, letterSpacing: letterSpacing, scale: scale, fromGlyphs: false)
            let glyphs = try render(text, letterSpacing: letterSpacing, scale: scale, fromGlyphs: true)
            // Glyphs sit on a quarter-pixel grid, so edges move by up to an eighth of a pixel.
            let result = try ImageComparison.compare(expected: outlines, actual: glyphs, channelThreshold: 48)
            #expect(result.isSimilar(maxFraction: 0.002), "\(text) at @\(Int(scale))x, letter spacing \(letterSpacing): \(result)")
            let loose = try ImageComparison.compare(expected: outlines, actual: glyphs, channelThreshold: 4)
            #expect(loose.differingFraction < 0.05, "\(text): \(loose)")
            #expect(loose.differingFraction > 0, "the two ways should not be the same code path")
        }
    }

    @Test func aLabelMovedByWholePixelsIsTheSamePixelsMoved() throws {
        let first = try render("Đằng Giang", at: px(100.37, 40.81), fromGlyphs: true)
        let moved = try render("Đằng Giang", at: px(137.37, 33.81), fromGlyphs: true)
        for y in 10..<70 {
            for x in 40..<160 {
                #expect(first.pixel(x, y) == moved.pixel(x + 37, y - 7), "pixel \(x),\(y)")
                if first.pixel(x, y) != moved.pixel(x + 37, y - 7) { return }
            }
        }
    }

    @Test func labelsWithoutHaloAndAtNegativePositionsAreDrawn() throws {
        let plain = try render("Vĩnh Bảo", haloWidth: 0, fromGlyphs: true)
        let outlines = try render("Vĩnh Bảo", haloWidth: 0, fromGlyphs: false)
        #expect(try ImageComparison.compare(expected: outlines, actual: plain, channelThreshold: 48).isSimilar(maxFraction: 0.002))
        // Partly off the canvas, left and top: the glyph grid rounds negative positions too.
        let clipped = try render("Kiến An", at: px(-3.4, 2.2), fromGlyphs: true)
        let clippedOutlines = try render("Kiến An", at: px(-3.4, 2.2), fromGlyphs: false)
        #expect(try ImageComparison.compare(expected: clippedOutlines, actual: clipped, channelThreshold: 48).isSimilar(maxFraction: 0.002))
    }

    @Test func hugeTextIsDrawnFromItsOutlines() throws {
        let huge = try render("Đồ Sơn", at: px(150, 55), size: 140, fromGlyphs: true)
        let outlines = try render("Đồ Sơn", at: px(150, 55), size: 140, fromGlyphs: false)
        #expect(huge.rgba == outlines.rgba)
    }

    @Test func aCharacterNoFontHasFallsBackToOutlines() throws {
        // U+E000 is in no font: Pango draws a box with its hex code, which only the outline path has.
        let text = "Hải \u{E000} Phòng"
        let fallback = try render(text, fromGlyphs: true)
        let outlines = try render(text, fromGlyphs: false)
        #expect(fallback.rgba == outlines.rgba)
    }
}
