import CairnCore

/// Paint properties of a `background` layer.
public struct BackgroundProperties: Sendable {
    public let color: StyleProperty<Color>
    public let opacity: StyleProperty<Double>

    init(paint: PropertyReader, layout: PropertyReader) throws {
        color = try paint.read("background-color", .color(.black))
        opacity = try paint.read("background-opacity", .number(1))
    }
}
