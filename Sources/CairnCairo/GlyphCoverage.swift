internal import CCairo

/// The antialiased coverage (0–255) of one glyph, filled or stroked, rasterised by Cairo at a given
/// sub-pixel offset: a rectangle of `width` × `height` bytes, rows packed, whose top-left pixel lies
/// (`left`, `top`) pixels from the whole pixel the glyph's origin was offset from.
public struct GlyphCoverage: Sendable {
    public let left: Int
    public let top: Int
    public let width: Int
    public let height: Int
    public let bytes: [UInt8]

    /// Nothing to draw (a glyph without ink).
    public static let empty = GlyphCoverage(left: 0, top: 0, width: 0, height: 0, bytes: [])

    /// - Parameters:
    ///   - offsetX, offsetY: where the glyph's origin lies within its pixel, in 0..<1.
    ///   - strokeWidth: nil fills the outline; otherwise strokes it this wide with round joins (a halo).
    public init(glyph: UInt32, font: CairoScaledFont, offsetX: Double, offsetY: Double, strokeWidth: Double?) {
        var cairoGlyph = cairo_glyph_t(index: UInt(glyph), x: 0, y: 0)
        var extents = cairo_text_extents_t()
        cairo_scaled_font_glyph_extents(font.raw, &cairoGlyph, 1, &extents)
        guard extents.width > 0, extents.height > 0, extents.width.isFinite, extents.height.isFinite else {
            self = .empty
            return
        }
        // One pixel more than the ink (and half the stroke) reaches, for antialiasing.
        let margin = (strokeWidth ?? 0) / 2 + 1
        let left = Int((offsetX + extents.x_bearing - margin).rounded(.down))
        let top = Int((offsetY + extents.y_bearing - margin).rounded(.down))
        let right = Int((offsetX + extents.x_bearing + extents.width + margin).rounded(.up))
        let bottom = Int((offsetY + extents.y_bearing + extents.height + margin).rounded(.up))
        let width = right - left, height = bottom - top
        guard width > 0, height > 0, width <= 4096, height <= 4096,
              let surface = cairo_image_surface_create(CAIRO_FORMAT_A8, Int32(width), Int32(height)) else {
            self = .empty
            return
        }
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)!
        cairo_set_scaled_font(context, font.raw)
        cairoGlyph.x = offsetX - Double(left)
        cairoGlyph.y = offsetY - Double(top)
        cairo_glyph_path(context, &cairoGlyph, 1)
        if let strokeWidth {
            cairo_set_line_width(context, strokeWidth)
            cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
            cairo_stroke(context)
        } else {
            cairo_fill(context)
        }
        cairo_destroy(context)
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var bytes = [UInt8](repeating: 0, count: width * height)
        bytes.withUnsafeMutableBufferPointer { target in
            for row in 0..<height {
                (target.baseAddress! + row * width).update(from: data + row * stride, count: width)
            }
        }
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    private init(left: Int, top: Int, width: Int, height: Int, bytes: [UInt8]) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        self.bytes = bytes
    }
}
