internal import CCairo

extension CairoContext {
    /// Paints the current source through an 8-bit coverage mask of `width` × `height` bytes (`stride`
    /// bytes from row to row, a multiple of 4) whose top-left pixel goes to (`x`, `y`).
    public func mask(coverage: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int, x: Double, y: Double) {
        guard width > 0, height > 0, stride >= width, stride % 4 == 0,
              let surface = cairo_image_surface_create_for_data(coverage, CAIRO_FORMAT_A8, Int32(width), Int32(height), Int32(stride))
        else { return }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return }
        cairo_mask_surface(raw, surface, x, y)
    }
}
