public import CairnCore

/// An evaluated MapLibre symbol layer's icon for one feature; sizes in CSS pixels.
public struct IconSymbolizer: Sendable {
    /// The sprite image id (`icon-image`); an unknown id draws no icon.
    public var image: String
    /// Scale of the sprite image.
    public var size: Double
    /// Clockwise, in degrees, about the anchor.
    public var rotate: Double
    public var anchor: TextAnchor
    /// In CSS px times `size`; positive y moves the icon down.
    public var offset: (x: Double, y: Double)
    public var opacity: Double
    public var allowOverlap: Bool
    /// Placed icons do not block later symbols.
    public var ignorePlacement: Bool
    /// The text may be drawn without the icon when the icon collides.
    public var optional: Bool
    /// The icon may be drawn without the text when the text collides (`text-optional`).
    public var textOptional: Bool
    /// Extra space around the collision box, in CSS px.
    public var padding: Double
    public var textFit: IconTextFit
    /// [top, right, bottom, left] in CSS px around the text when `textFit` is not `none`.
    public var textFitPadding: [Double]
    /// Along line placement: turn the icon with the line (`icon-rotation-alignment` `map`).
    public var alignsWithLine: Bool
    /// Signed-distance-field images only: the fill colour (`icon-color`), the halo's colour and width (CSS px).
    public var color: Color = .black
    public var haloColor: Color = .transparent
    public var haloWidth: Double = 0

    public init(image: String, size: Double = 1, rotate: Double = 0, anchor: TextAnchor = .center,
                offset: (x: Double, y: Double) = (0, 0), opacity: Double = 1, allowOverlap: Bool = false,
                ignorePlacement: Bool = false, optional: Bool = false, textOptional: Bool = false, padding: Double = 2,
                textFit: IconTextFit = .none, textFitPadding: [Double] = [0, 0, 0, 0], alignsWithLine: Bool = false) {
        self.image = image
        self.size = size
        self.rotate = rotate
        self.anchor = anchor
        self.offset = offset
        self.opacity = opacity
        self.allowOverlap = allowOverlap
        self.ignorePlacement = ignorePlacement
        self.optional = optional
        self.textOptional = textOptional
        self.padding = padding
        self.textFit = textFit
        self.textFitPadding = textFitPadding
        self.alignsWithLine = alignsWithLine
    }
}
