internal import CCairo
internal import CPangoCairo

/// One glyph of a laid-out text: its index in `font` and where its origin (the pen position on the
/// baseline) lies, in pixels from the layout's top-left corner.
public struct PositionedGlyph {
    public let font: CairoScaledFont
    public let index: UInt32
    public let x: Double
    public let y: Double
}

extension PangoTextLayout {
    /// Every inked glyph of the layout where `addPath(to:x:y:)` would draw its outline, found the way
    /// PangoCairo's renderer finds them (runs in visual order, advances, offsets, rise). Nil when a
    /// character is missing from every font: Pango then draws a box of its hex code, which is not a glyph.
    func makeGlyphs() -> [PositionedGlyph]? {
        guard let iterator = pango_layout_get_iter(raw) else { return nil }
        defer { pango_layout_iter_free(iterator) }
        let units = Double(PangoTextContext.unitsPerPixel)
        var glyphs: [PositionedGlyph] = []
        var fonts: [UnsafeMutableRawPointer: CairoScaledFont] = [:]
        repeat {
            // Nil at the end of each line.
            guard let run = pango_layout_iter_get_run_readonly(iterator), let string = run.pointee.glyphs,
                  let item = run.pointee.item else { continue }
            guard let pangoFont = item.pointee.analysis.font else { return nil }
            let font: CairoScaledFont
            if let known = fonts[UnsafeMutableRawPointer(pangoFont)] {
                font = known
            } else {
                guard let scaled = pango_cairo_font_get_scaled_font(OpaquePointer(pangoFont)) else { return nil }
                font = CairoScaledFont(retaining: scaled)
                fonts[UnsafeMutableRawPointer(pangoFont)] = font
            }
            var logical = PangoRectangle()
            pango_layout_iter_get_run_extents(iterator, nil, &logical)
            let baseline = pango_layout_iter_get_baseline(iterator) - run.pointee.y_offset
            var pen = logical.x
            for i in 0..<Int(string.pointee.num_glyphs) {
                let info = string.pointee.glyphs[i]
                defer { pen += info.geometry.width }
                if info.glyph == PangoGlyph(0x0FFF_FFFF) { continue }  // PANGO_GLYPH_EMPTY: nothing to draw
                if info.glyph & PangoGlyph(0x1000_0000) != 0 { return nil }  // PANGO_GLYPH_UNKNOWN_FLAG: a hex box
                glyphs.append(PositionedGlyph(font: font, index: info.glyph,
                                              x: Double(pen + info.geometry.x_offset) / units,
                                              y: Double(baseline + info.geometry.y_offset) / units))
            }
        } while pango_layout_iter_next_run(iterator) != 0
        return glyphs
    }
}
