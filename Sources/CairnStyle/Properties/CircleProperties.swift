import CairnCore

/// Paint and layout properties of a `circle` layer.
public struct CircleProperties: Sendable {
    public let radius: StyleProperty<Double>
    public let color: StyleProperty<Color>
    public let opacity: StyleProperty<Double>
    public let strokeWidth: StyleProperty<Double>
    public let strokeColor: StyleProperty<Color>
    public let strokeOpacity: StyleProperty<Double>
    public let blur: StyleProperty<Double>
    public let sortKey: StyleProperty<Double>?

    init(paint: PropertyReader, layout: PropertyReader) throws {
        radius = try paint.read("circle-radius", .number(5))
        color = try paint.read("circle-color", .color(.black))
        opacity = try paint.read("circle-opacity", .number(1))
        strokeWidth = try paint.read("circle-stroke-width", .number(0))
        strokeColor = try paint.read("circle-stroke-color", .color(.black))
        strokeOpacity = try paint.read("circle-stroke-opacity", .number(1))
        blur = try paint.read("circle-blur", .number(0))
        sortKey = try layout.readIfPresent("circle-sort-key", .number(0))
    }
}
