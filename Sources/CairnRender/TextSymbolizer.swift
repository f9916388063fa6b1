public import CairnCore

/// An evaluated MapLibre symbol layer's text for one feature; sizes in CSS pixels unless noted.
/// `text` is already formatted and transformed (upper-case etc.) by the caller.
public struct TextSymbolizer: Sendable {
    public var text: String
    /// A MapLibre font stack, e.g. ["Noto Sans Regular"]; weight and style come from the first name.
    public var fontNames: [String]
    public var size: Double
    public var color: Color
    public var opacity: Double
    public var haloColor: Color
    public var haloWidth: Double
    public var anchor: TextAnchor
    /// In ems; positive y moves the text down.
    public var offset: (x: Double, y: Double)
    /// Wrap width in ems (point placement only); 0 or less disables wrapping.
    public var maxWidth: Double
    /// Line height in ems.
    public var lineHeight: Double
    public var placement: TextPlacement
    public var allowOverlap: Bool
    /// Extra space around the collision box, in pixels.
    public var padding: Double
    /// In ems.
    public var letterSpacing: Double
    public var justify: TextJustify
    /// Largest bend in degrees allowed under a line label within one character-size window.
    public var maxAngle: Double
    /// Distance in pixels between repeated labels along a line (MapLibre `symbol-spacing`).
    public var spacing: Double
    /// MapLibre `text-variable-anchor`: anchors tried in order, the first whose box is free wins;
    /// empty to use `anchor` alone.
    public var variableAnchors: [TextAnchor] = []
    /// MapLibre `text-radial-offset` in ems: the distance from the point to the text box edge in the
    /// direction of the anchor; nil to use `offset`.
    public var radialOffset: Double?
    /// MapLibre `text-keep-upright` (line placement): text running right to left is turned over.
    public var keepUpright = true

    public init(text: String, fontNames: [String] = ["Noto Sans Regular"], size: Double = 16,
                color: Color = .black, opacity: Double = 1, haloColor: Color = .transparent, haloWidth: Double = 0,
                anchor: TextAnchor = .center, offset: (x: Double, y: Double) = (0, 0), maxWidth: Double = 10,
                lineHeight: Double = 1.2, placement: TextPlacement = .point, allowOverlap: Bool = false,
                padding: Double = 2, letterSpacing: Double = 0, justify: TextJustify = .center,
                maxAngle: Double = 45, spacing: Double = 250) {
        self.text = text
        self.fontNames = fontNames
        self.size = size
        self.color = color
        self.opacity = opacity
        self.haloColor = haloColor
        self.haloWidth = haloWidth
        self.anchor = anchor
        self.offset = offset
        self.maxWidth = maxWidth
        self.lineHeight = lineHeight
        self.placement = placement
        self.allowOverlap = allowOverlap
        self.padding = padding
        self.letterSpacing = letterSpacing
        self.justify = justify
        self.maxAngle = maxAngle
        self.spacing = spacing
    }
}
