internal import CCairo

extension CairoContext {
    public func scale(_ x: Double, _ y: Double) { cairo_scale(raw, x, y) }

    /// Paints `surface` with its top-left corner at (x, y) of user space, at `opacity`, smoothly resampled.
    public func paint(_ surface: CairoImageSurface, x: Double, y: Double, opacity: Double) {
        cairo_set_source_surface(raw, surface.raw, x, y)
        cairo_pattern_set_filter(cairo_get_source(raw), CAIRO_FILTER_GOOD)
        cairo_paint_with_alpha(raw, opacity)
    }

    /// Makes `surface`, repeated without end, the source: one copy spans `scale` user units per surface pixel,
    /// and a copy's corner lies at user point (x, y).
    public func setRepeatingSource(_ surface: CairoImageSurface, scale: Double, x: Double, y: Double) {
        let pattern = cairo_pattern_create_for_surface(surface.raw)!
        cairo_pattern_set_extend(pattern, CAIRO_EXTEND_REPEAT)
        cairo_pattern_set_filter(pattern, CAIRO_FILTER_GOOD)
        // The pattern matrix maps user space to pattern (surface pixel) space.
        var matrix = cairo_matrix_t()
        cairo_matrix_init_scale(&matrix, 1 / scale, 1 / scale)
        cairo_matrix_translate(&matrix, -x, -y)
        cairo_pattern_set_matrix(pattern, &matrix)
        cairo_set_source(raw, pattern)
        cairo_pattern_destroy(pattern)
    }
}

extension CairoContext {
    /// Paints the current source within the clip, at `alpha`.
    public func paint(alpha: Double) { cairo_paint_with_alpha(raw, alpha) }
}
