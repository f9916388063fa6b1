internal import CairnCairo
import CairnCore

/// Glyphs rasterised once per thread and reused by every label that sets them, filled and haloed,
/// at a quarter-pixel grid of positions.
///
/// Cairo rasterises a text's outlines (and, far costlier, the stroke of its halo) again on each call:
/// a small label cost a tile about as much as all its roads. A map sets the same few dozen letters
/// in every label, so each glyph is rasterised once for each of the 16 quarter-pixel offsets it is
/// met at, and a label is composed from those. A position is rounded by at most an eighth of a pixel.
///
/// Bounded like `TextLayoutStore` (`GenerationalCache`): two generations of `generationSize` glyphs.
final class GlyphRasterCache {
    static let generationSize = 4096
    /// Positions are rounded to 1 / `subpixels` of a pixel.
    static let subpixels = 4

    struct Key: Hashable {
        var font: UInt
        var glyph: UInt32
        var offsetX: UInt8
        var offsetY: UInt8
        /// The stroke width in 1/64 px; 0 for the fill.
        var stroke: UInt32
    }

    struct Entry {
        /// Keeps the font, and so the identity in the key, alive.
        let font: CairoScaledFont
        let coverage: GlyphCoverage
    }

    private var entries = GenerationalCache<Key, Entry>(generationSize: generationSize)

    /// The coverage of `glyph` set with its origin at (`x`, `y`) and, where it goes, the whole pixel
    /// its `left`/`top` are counted from; stroked `strokeWidth` wide, or filled when that is nil.
    func coverage(of glyph: PositionedGlyph, x: Double, y: Double, strokeWidth: Double?)
        -> (coverage: GlyphCoverage, pixelX: Int, pixelY: Int) {
        let steps = Double(Self.subpixels)
        let qx = Int((x * steps).rounded()), qy = Int((y * steps).rounded())
        // Floor division, so negative positions keep an offset in 0..<subpixels.
        let pixelX = qx >= 0 ? qx / Self.subpixels : -((-qx + Self.subpixels - 1) / Self.subpixels)
        let pixelY = qy >= 0 ? qy / Self.subpixels : -((-qy + Self.subpixels - 1) / Self.subpixels)
        let offsetX = qx - pixelX * Self.subpixels, offsetY = qy - pixelY * Self.subpixels
        let key = Key(font: glyph.font.id, glyph: glyph.index, offsetX: UInt8(offsetX), offsetY: UInt8(offsetY),
                      stroke: strokeWidth.map { UInt32(max(1, min(1_048_576, ($0 * 64).rounded()))) } ?? 0)
        let entry = entries.value(key) {
            Entry(font: glyph.font,
                  coverage: GlyphCoverage(glyph: glyph.index, font: glyph.font, offsetX: Double(offsetX) / steps,
                                          offsetY: Double(offsetY) / steps, strokeWidth: key.stroke == 0 ? nil : Double(key.stroke) / 64))
        }
        return (entry.coverage, pixelX, pixelY)
    }
}
