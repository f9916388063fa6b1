public import CairnCore

/// An evaluated MapLibre line layer for one feature; sizes in CSS pixels.
public struct LineSymbolizer: Sendable, Equatable {
    public var color: Color
    public var width: Double
    public var opacity: Double
    /// Dash and gap lengths in units of the line width, as MapLibre's `line-dasharray`.
    public var dashArray: [Double]?
    public var cap: LineCap
    public var join: LineJoin
    /// When positive, two lines of `width` are drawn either side of a gap this wide (road casings).
    public var gapWidth: Double
    /// Shifts the line sideways; positive is to the right of the direction of travel.
    public var offset: Double
    public var miterLimit: Double
    /// A sprite image id repeated along the line instead of `color` (`line-pattern`), as tall as the line is wide.
    public var pattern: String?

    public init(color: Color, width: Double = 1, opacity: Double = 1, dashArray: [Double]? = nil,
                cap: LineCap = .butt, join: LineJoin = .miter, gapWidth: Double = 0, offset: Double = 0,
                miterLimit: Double = 2, pattern: String? = nil) {
        self.color = color
        self.width = width
        self.opacity = opacity
        self.dashArray = dashArray
        self.cap = cap
        self.join = join
        self.gapWidth = gapWidth
        self.offset = offset
        self.miterLimit = miterLimit
        self.pattern = pattern
    }
}
