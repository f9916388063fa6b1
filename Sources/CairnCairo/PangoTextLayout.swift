internal import CCairo
internal import CPangoCairo

/// Horizontal alignment of the lines of a wrapped paragraph.
public enum PangoTextAlignment: Sendable { case left, center, right }

/// A rectangle in device pixels.
public struct TextRect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
}

/// A laid-out paragraph of text, drawn as a path so it can be haloed and bent.
public final class PangoTextLayout {
    let raw: OpaquePointer

    /// - Parameters:
    ///   - wrapWidth: wrap at word boundaries to this width in pixels; nil for one line.
    ///   - letterSpacing: extra space between letters, in pixels.
    ///   - lineSpacing: line height as a factor of the font size (0 keeps the font's own).
    public init(context: PangoTextContext, text: String, font: PangoFont, wrapWidth: Double? = nil,
                alignment: PangoTextAlignment = .center, letterSpacing: Double = 0, lineSpacing: Double = 0) {
        raw = pango_layout_new(context.raw)!
        pango_layout_set_font_description(raw, font.raw)
        let units = Double(PangoTextContext.unitsPerPixel)
        if let wrapWidth {
            pango_layout_set_width(raw, Int32(clamping: Int((wrapWidth * units).rounded())))
            pango_layout_set_wrap(raw, PANGO_WRAP_WORD)
        }
        switch alignment {
        case .left: pango_layout_set_alignment(raw, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(raw, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(raw, PANGO_ALIGN_RIGHT)
        }
        if lineSpacing > 0 { pango_layout_set_line_spacing(raw, Float(lineSpacing)) }
        if letterSpacing != 0 {
            let attributes = pango_attr_list_new()!
            pango_attr_list_insert(attributes, pango_attr_letter_spacing_new(Int32((letterSpacing * units).rounded())))
            pango_layout_set_attributes(raw, attributes)
            pango_attr_list_unref(attributes)
        }
        pango_layout_set_text(raw, text, -1)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(raw)) }

    /// The layout's glyphs where `addPath` draws them (see `makeGlyphs`), found once; nil when it has a
    /// character no font covers.
    public private(set) lazy var glyphs: [PositionedGlyph]? = makeGlyphs()

    /// The logical box (the advance width and line heights) relative to the layout origin.
    public var logicalRect: TextRect { extents().logical }

    /// The box of the inked pixels relative to the layout origin.
    public var inkRect: TextRect { extents().ink }

    /// Distance from the top of the layout to the first line's baseline, in pixels.
    public var baseline: Double { Double(pango_layout_get_baseline(raw)) / Double(PangoTextContext.unitsPerPixel) }

    public var lineCount: Int { Int(pango_layout_get_line_count(raw)) }

    /// The logical horizontal extent of each grapheme cluster (a letter with its marks), in visual
    /// order, relative to the layout origin; for placing the letters of a one-line text one by one.
    public var clusters: [(start: Double, end: Double)] {
        guard let iterator = pango_layout_get_iter(raw) else { return [] }
        defer { pango_layout_iter_free(iterator) }
        let units = Double(PangoTextContext.unitsPerPixel)
        var result: [(start: Double, end: Double)] = []
        repeat {
            var logical = PangoRectangle()
            pango_layout_iter_get_cluster_extents(iterator, nil, &logical)
            if logical.width > 0 {
                result.append((Double(logical.x) / units, Double(logical.x + logical.width) / units))
            }
        } while pango_layout_iter_next_cluster(iterator) != 0
        return result.sorted { $0.start < $1.start }
    }

    /// Appends the glyph outlines to `context`'s path with the layout's origin at (`x`, `y`).
    public func addPath(to context: CairoContext, x: Double, y: Double) {
        cairo_move_to(context.raw, x, y)
        pango_cairo_layout_path(context.raw, raw)
    }

    private func extents() -> (ink: TextRect, logical: TextRect) {
        var ink = PangoRectangle()
        var logical = PangoRectangle()
        pango_layout_get_extents(raw, &ink, &logical)
        let units = Double(PangoTextContext.unitsPerPixel)
        func rect(_ r: PangoRectangle) -> TextRect {
            TextRect(x: Double(r.x) / units, y: Double(r.y) / units, width: Double(r.width) / units, height: Double(r.height) / units)
        }
        return (rect(ink), rect(logical))
    }
}
