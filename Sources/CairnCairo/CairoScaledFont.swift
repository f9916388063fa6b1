internal import CCairo

/// A Cairo scaled font (a face at one size with its font options), as Pango chose it for a run of text.
/// Holding one keeps the font alive, so its identity (`id`) cannot pass to another font meanwhile. Used on
/// the thread whose Pango layout gave it, as the layout is.
public final class CairoScaledFont {
    let raw: OpaquePointer

    /// Takes a reference of its own to `raw`.
    init(retaining raw: OpaquePointer) {
        self.raw = cairo_scaled_font_reference(raw)!
    }

    deinit { cairo_scaled_font_destroy(raw) }

    /// Stable while this object lives.
    public var id: UInt { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(raw))) }
}
