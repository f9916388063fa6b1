internal import CCairo

/// An in-memory ARGB32 (premultiplied, native-endian) Cairo image surface.
public final class CairoImageSurface {
    let raw: OpaquePointer
    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) throws(CairoError) {
        guard width > 0, height > 0, width <= 32767, height <= 32767 else {
            throw CairoError(code: Int32(bitPattern: CAIRO_STATUS_INVALID_SIZE.rawValue),
                             message: "cannot create a \(width)x\(height) image surface: sizes must be in 1...32767")
        }
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw CairoError(status: status, while: "creating a \(width)x\(height) ARGB32 image surface")
        }
        raw = surface
        self.width = width
        self.height = height
    }

    deinit { cairo_surface_destroy(raw) }

    /// Bytes from one row to the next.
    public var stride: Int { Int(cairo_image_surface_get_stride(raw)) }

    /// Gives the pixel memory to `body` after flushing pending drawing.
    public func withPixels<R>(_ body: (UnsafeMutableRawPointer, _ stride: Int) throws -> R) rethrows -> R {
        cairo_surface_flush(raw)
        let data = UnsafeMutableRawPointer(cairo_image_surface_get_data(raw)!)
        defer { cairo_surface_mark_dirty(raw) }
        return try body(data, stride)
    }
}
