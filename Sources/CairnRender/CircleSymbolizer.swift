public import CairnCore

/// An evaluated MapLibre circle layer for one feature; sizes in CSS pixels.
public struct CircleSymbolizer: Sendable {
    public var radius: Double
    public var color: Color
    public var opacity: Double
    /// Drawn outside `radius`, as MapLibre does.
    public var strokeWidth: Double
    public var strokeColor: Color
    public var strokeOpacity: Double

    public init(radius: Double = 5, color: Color = .black, opacity: Double = 1, strokeWidth: Double = 0,
                strokeColor: Color = .black, strokeOpacity: Double = 1) {
        self.radius = radius
        self.color = color
        self.opacity = opacity
        self.strokeWidth = strokeWidth
        self.strokeColor = strokeColor
        self.strokeOpacity = strokeOpacity
    }
}
