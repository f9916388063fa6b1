public import CairnCore

/// An evaluated MapLibre fill layer for one feature.
public struct FillSymbolizer: Sendable, Equatable {
    public var color: Color
    public var opacity: Double
    /// A 1 px outline (MapLibre draws it only when `antialias` is on).
    public var outlineColor: Color?
    public var antialias: Bool
    /// A sprite image id repeated over the fill instead of `color` (`fill-pattern`).
    public var pattern: String?

    public init(color: Color, opacity: Double = 1, outlineColor: Color? = nil, antialias: Bool = true, pattern: String? = nil) {
        self.color = color
        self.opacity = opacity
        self.outlineColor = outlineColor
        self.antialias = antialias
        self.pattern = pattern
    }
}
