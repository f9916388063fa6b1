internal import CCairo
internal import CRsvg

/// An SVG document parsed by librsvg, drawn onto Cairo image surfaces. Not thread-safe.
public final class SVGDocument {
    private let handle: UnsafeMutablePointer<RsvgHandle>
    /// The document's size in CSS px (its width/height, else its viewBox).
    public let width: Double
    public let height: Double

    /// - Throws: `CairoError` with librsvg's message when the bytes are not a usable SVG.
    public init(data: [UInt8]) throws(CairoError) {
        var error: UnsafeMutablePointer<GError>?
        let created: UnsafeMutablePointer<RsvgHandle>? = data.withUnsafeBufferPointer { bytes in
            rsvg_handle_new_from_data(bytes.baseAddress, gsize(bytes.count), &error)
        }
        guard let created else {
            throw CairoError(code: -1, message: SVGDocument.consume(error) ?? "not an SVG document")
        }
        var w = 0.0, h = 0.0
        if rsvg_handle_get_intrinsic_size_in_pixels(created, &w, &h) == 0 || !(w > 0 && h > 0) {
            var viewBox = RsvgRectangle()
            var hasViewBox: gboolean = 0
            rsvg_handle_get_intrinsic_dimensions(created, nil, nil, nil, nil, &hasViewBox, &viewBox)
            w = hasViewBox != 0 ? viewBox.width : 0
            h = hasViewBox != 0 ? viewBox.height : 0
        }
        guard w > 0, h > 0, w.isFinite, h.isFinite else {
            g_object_unref(created)
            throw CairoError(code: -1, message: "the SVG has no size: give its root width and height, or a viewBox")
        }
        handle = created
        width = w
        height = h
    }

    deinit { g_object_unref(handle) }

    /// Renders the document scaled to `pixelWidth` x `pixelHeight` onto a new transparent surface.
    public func render(pixelWidth: Int, pixelHeight: Int) throws(CairoError) -> CairoImageSurface {
        let surface = try CairoImageSurface(width: pixelWidth, height: pixelHeight)
        let context = try CairoContext(surface: surface)
        var viewport = RsvgRectangle(x: 0, y: 0, width: Double(pixelWidth), height: Double(pixelHeight))
        var error: UnsafeMutablePointer<GError>?
        guard rsvg_handle_render_document(handle, context.raw, &viewport, &error) != 0 else {
            throw CairoError(code: -1, message: SVGDocument.consume(error) ?? "librsvg could not render the SVG")
        }
        return surface
    }

    private static func consume(_ error: UnsafeMutablePointer<GError>?) -> String? {
        guard let error else { return nil }
        defer { g_error_free(error) }
        return error.pointee.message.map { String(cString: $0) }
    }
}
