internal import CCairo
internal import CPangoCairo

/// A Pango context with fixed font options (grey antialiasing, no hinting, unhinted metrics,
/// unrounded glyph positions), so that the same text always lays out and rasterises the same way.
///
/// It uses the calling thread's default PangoCairo font map (Pango keeps one per thread), so create
/// and use it on one thread.
public final class PangoTextContext {
    static let unitsPerPixel: Int32 = 1024

    let raw: OpaquePointer

    public init() {
        let fontMap = pango_cairo_font_map_get_default()!
        raw = pango_font_map_create_context(fontMap)!
        let options = cairo_font_options_create()!
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        pango_cairo_context_set_font_options(raw, options)
        cairo_font_options_destroy(options)
        pango_context_set_round_glyph_positions(raw, 0)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(raw)) }
}
