/// One image of a sprite sheet: where it lies in the sheet (in sheet pixels) and at what pixel ratio.
public struct SpriteImage: Sendable, Equatable {
    public let x: Int
    public let y: Int
    public let width: Int
    public let height: Int
    /// Sheet pixels per CSS px: 1 for `sprite.png`, 2 for `sprite@2x.png`.
    public let pixelRatio: Double
    /// A signed-distance-field image: coloured by `icon-color` and `icon-halo-*` (see `SDFTint`).
    public let sdf: Bool

    public init(x: Int, y: Int, width: Int, height: Int, pixelRatio: Double, sdf: Bool = false) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.pixelRatio = pixelRatio
        self.sdf = sdf
    }

    /// Size in CSS px.
    public var cssWidth: Double { Double(width) / pixelRatio }
    public var cssHeight: Double { Double(height) / pixelRatio }
}
