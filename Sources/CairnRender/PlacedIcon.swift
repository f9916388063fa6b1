internal import CairnCairo

/// An icon laid out at its anchor, waiting for collision detection with its symbol's text.
struct PlacedIcon {
    let surface: CairoImageSurface
    /// The drawn rectangle before rotation, in canvas pixels.
    let rect: PixelRect
    /// The point the icon turns about (the symbol's anchor).
    let pivotX: Double
    let pivotY: Double
    /// Clockwise, in radians.
    let angle: Double
    /// Collision box: the rotated rectangle's bounds, padding included.
    let box: PixelRect
    let style: IconSymbolizer
    /// False for icon-only symbols, whose candidate's text is empty.
    let hasText: Bool
}

/// Identifies an image within a sprite sheet.
struct IconSurfaceKey: Hashable {
    let sheet: ObjectIdentifier
    let x: Int
    let y: Int
    let tint: SDFTint?
}
