/// A glyph's outline in pixels (y up, origin on the baseline at the pen position): closed rings,
/// curves flattened to line segments, and the pen advance.
public struct GlyphOutline: Sendable {
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double

        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// Each ring's first point is repeated at its end.
    public var rings: [[Point]]
    /// Horizontal advance in whole pixels (unhinted, truncated as FreeType's 26.6 metrics / 64).
    public var advance: Int
}
