import CairnCore

/// Paint and layout properties of a `line` layer.
public struct LineProperties: Sendable {
    public let color: StyleProperty<Color>
    public let width: StyleProperty<Double>
    public let opacity: StyleProperty<Double>
    /// Dash and gap lengths in line widths; nil for a solid line.
    public let dashArray: StyleProperty<[Double]>?
    public let cap: StyleProperty<LineCap>
    public let join: StyleProperty<LineJoin>
    public let gapWidth: StyleProperty<Double>
    public let offset: StyleProperty<Double>
    public let miterLimit: StyleProperty<Double>
    public let roundLimit: StyleProperty<Double>
    public let blur: StyleProperty<Double>
    public let sortKey: StyleProperty<Double>?
    /// A sprite image id repeated along the line instead of `color`; nil when not set.
    public let pattern: StyleProperty<String>?

    init(paint: PropertyReader, layout: PropertyReader) throws {
        color = try paint.read("line-color", .color(.black))
        width = try paint.read("line-width", .number(1))
        opacity = try paint.read("line-opacity", .number(1))
        dashArray = try paint.readIfPresent("line-dasharray", .numbers([]))
        gapWidth = try paint.read("line-gap-width", .number(0))
        offset = try paint.read("line-offset", .number(0))
        blur = try paint.read("line-blur", .number(0))
        cap = try layout.read("line-cap", .enumeration(LineCap.butt))
        join = try layout.read("line-join", .enumeration(LineJoin.miter))
        miterLimit = try layout.read("line-miter-limit", .number(2))
        roundLimit = try layout.read("line-round-limit", .number(1.05))
        sortKey = try layout.readIfPresent("line-sort-key", .number(0))
        pattern = try paint.readIfPresent("line-pattern", .imageName)
    }
}
