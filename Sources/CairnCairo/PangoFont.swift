internal import CPangoCairo

/// Font weights Pango understands, named as in font style names.
public enum PangoFontWeight: Int32, Sendable {
    case thin = 100, ultraLight = 200, light = 300, semiLight = 350, book = 380, normal = 400, medium = 500,
         semiBold = 600, bold = 700, ultraBold = 800, heavy = 900
}

/// Upright or slanted glyphs.
public enum PangoFontStyle: Sendable { case normal, oblique, italic }

/// A Pango font description: a family list, weight, style and an absolute size in device pixels.
public final class PangoFont {
    let raw: OpaquePointer

    /// - Parameter families: tried in order; Pango falls back per glyph through the list.
    public init(families: [String], weight: PangoFontWeight, style: PangoFontStyle, pixelSize: Double) {
        raw = pango_font_description_new()!
        pango_font_description_set_family(raw, families.joined(separator: ","))
        pango_font_description_set_weight(raw, PangoWeight(rawValue: UInt32(weight.rawValue)))
        switch style {
        case .normal: pango_font_description_set_style(raw, PANGO_STYLE_NORMAL)
        case .oblique: pango_font_description_set_style(raw, PANGO_STYLE_OBLIQUE)
        case .italic: pango_font_description_set_style(raw, PANGO_STYLE_ITALIC)
        }
        pango_font_description_set_absolute_size(raw, max(1, pixelSize) * Double(PangoTextContext.unitsPerPixel))
    }

    deinit { pango_font_description_free(raw) }

    /// Pango's textual form, e.g. "Noto Sans,DejaVu Sans Bold 16px".
    public var descriptionString: String {
        let text = pango_font_description_to_string(raw)!
        defer { g_free(text) }
        return String(cString: text)
    }
}
