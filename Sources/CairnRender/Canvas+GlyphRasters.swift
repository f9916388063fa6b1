internal import CairnCairo
import CairnCore

extension Canvas {
    /// Text larger than this (device pixels) is drawn from its outlines.
    static let largestRasterisedTextSize = 128.0

    /// Draws a point label from glyph rasters kept per thread (`GlyphRasterCache`): its halo, each
    /// glyph's stroke joined to the others by their maximum (where one stroke of the whole text would
    /// cover it once), then its letters. False when the text is not drawn so (a character that no font
    /// covers, or a huge size); the caller then draws the outlines.
    func drawFromGlyphRasters(_ s: TextSymbolizer, layout: PangoTextLayout, x: Double, y: Double) -> Bool {
        // Huge text is rare and would fill the cache with big rasters: it is drawn from its outlines.
        guard s.size * scale <= Self.largestRasterisedTextSize, let glyphs = layout.glyphs else { return false }
        let halo = s.haloColor.withOpacity(s.opacity)
        if s.haloWidth > 0 && halo.alpha > 0 {
            paintCoverage(of: glyphs, x: x, y: y, strokeWidth: 2 * s.haloWidth * scale, colour: halo)
        }
        paintCoverage(of: glyphs, x: x, y: y, strokeWidth: nil, colour: s.color.withOpacity(s.opacity))
        return true
    }

    /// Joins the glyphs' coverage in `coverageScratch` and paints `colour` through it.
    private func paintCoverage(of glyphs: [PositionedGlyph], x: Double, y: Double, strokeWidth: Double?, colour: Color) {
        guard colour.alpha > 0 else { return }
        let cache = textStore.glyphRasters
        var placed: [(coverage: GlyphCoverage, left: Int, top: Int)] = []
        placed.reserveCapacity(glyphs.count)
        var minX = Int.max, minY = Int.max, maxX = Int.min, maxY = Int.min
        for glyph in glyphs {
            let found = cache.coverage(of: glyph, x: x + glyph.x, y: y + glyph.y, strokeWidth: strokeWidth)
            let coverage = found.coverage
            guard coverage.width > 0 else { continue }
            let left = found.pixelX + coverage.left, top = found.pixelY + coverage.top
            minX = min(minX, left)
            minY = min(minY, top)
            maxX = max(maxX, left + coverage.width)
            maxY = max(maxY, top + coverage.height)
            placed.append((coverage, left, top))
        }
        guard !placed.isEmpty else { return }
        let width = maxX - minX, height = maxY - minY, stride = (width + 3) & ~3
        coverageScratch.removeAll(keepingCapacity: true)
        coverageScratch.append(contentsOf: repeatElement(0, count: stride * height))
        let joinByMaximum = strokeWidth != nil
        coverageScratch.withUnsafeMutableBufferPointer { target in
            let base = target.baseAddress!
            for glyph in placed {
                let columns = glyph.coverage.width
                glyph.coverage.bytes.withUnsafeBufferPointer { source in
                    for row in 0..<glyph.coverage.height {
                        let into = base + (glyph.top - minY + row) * stride + (glyph.left - minX)
                        let from = source.baseAddress! + row * columns
                        if joinByMaximum {
                            for column in 0..<columns { into[column] = max(into[column], from[column]) }
                        } else {
                            // Letters that touch add up, as one fill of both outlines would cover them.
                            for column in 0..<columns {
                                let sum = UInt16(into[column]) + UInt16(from[column])
                                into[column] = UInt8(truncatingIfNeeded: min(255, sum))
                            }
                        }
                    }
                }
            }
            context.withSavedState {
                setSource(colour)
                context.mask(coverage: base, width: width, height: height, stride: stride, x: Double(minX), y: Double(minY))
            }
        }
    }
}
