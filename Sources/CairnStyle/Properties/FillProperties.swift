import CairnCore

/// Paint and layout properties of a `fill` layer.
public struct FillProperties: Sendable {
    public let color: StyleProperty<Color>
    public let opacity: StyleProperty<Double>
    /// Nil when not set: MapLibre then outlines with `color` (when `antialias` is on).
    public let outlineColor: StyleProperty<Color>?
    public let antialias: StyleProperty<Bool>
    public let sortKey: StyleProperty<Double>?
    /// A sprite image id repeated over the fill instead of `color`; nil when not set.
    public let pattern: StyleProperty<String>?

    init(paint: PropertyReader, layout: PropertyReader) throws {
        color = try paint.read("fill-color", .color(.black))
        opacity = try paint.read("fill-opacity", .number(1))
        outlineColor = try paint.readIfPresent("fill-outline-color", .color(.black))
        antialias = try paint.read("fill-antialias", .boolean(true))
        sortKey = try layout.readIfPresent("fill-sort-key", .number(0))
        pattern = try paint.readIfPresent("fill-pattern", .imageName)
    }
}
