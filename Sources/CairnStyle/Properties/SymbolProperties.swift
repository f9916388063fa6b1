import CairnCore

/// Text and icon properties of a `symbol` layer.
public struct SymbolProperties: Sendable {
    /// Nil when the layer has no `text-field` (nothing to draw).
    public let textField: StyleProperty<String>?
    public let textFont: StyleProperty<[String]>
    public let textSize: StyleProperty<Double>
    public let textColor: StyleProperty<Color>
    public let textOpacity: StyleProperty<Double>
    public let textHaloColor: StyleProperty<Color>
    public let textHaloWidth: StyleProperty<Double>
    public let textHaloBlur: StyleProperty<Double>
    public let textAnchor: StyleProperty<TextAnchor>
    /// Anchors tried in order until one fits; empty to use `textAnchor` alone.
    public let textVariableAnchor: StyleProperty<[TextAnchor]>
    /// Distance from the anchor in ems, in the direction of the text anchor (overrides `textOffset` when set).
    public let textRadialOffset: StyleProperty<Double>?
    /// Offset in ems, [x, y].
    public let textOffset: StyleProperty<[Double]>
    /// Maximum line width in ems.
    public let textMaxWidth: StyleProperty<Double>
    public let textLineHeight: StyleProperty<Double>
    public let textRotate: StyleProperty<Double>
    public let placement: StyleProperty<SymbolPlacement>
    public let allowOverlap: StyleProperty<Bool>
    public let ignorePlacement: StyleProperty<Bool>
    public let optional: StyleProperty<Bool>
    public let padding: StyleProperty<Double>
    public let transform: StyleProperty<TextTransform>
    /// Extra spacing between letters, in ems.
    public let letterSpacing: StyleProperty<Double>
    public let justify: StyleProperty<TextJustify>
    public let sortKey: StyleProperty<Double>?
    /// Distance between repeated line labels, in pixels.
    public let spacing: StyleProperty<Double>
    /// Largest angle between adjacent characters of a line label, in degrees.
    public let maxAngle: StyleProperty<Double>
    public let rotationAlignment: StyleProperty<TextRotationAlignment>
    public let keepUpright: StyleProperty<Bool>
    public let avoidEdges: StyleProperty<Bool>
    /// Nil when the layer has no `icon-image`.
    public let icon: IconProperties?

    public static let defaultFont = ["Open Sans Regular", "Arial Unicode MS Regular"]

    init(paint: PropertyReader, layout: PropertyReader) throws {
        textField = try layout.readIfPresent("text-field", .text)
        textFont = try layout.read("text-font", .strings(SymbolProperties.defaultFont))
        textSize = try layout.read("text-size", .number(16))
        textAnchor = try layout.read("text-anchor", .enumeration(TextAnchor.center))
        textOffset = try layout.read("text-offset", .numbers([0, 0], count: 2))
        textVariableAnchor = try layout.read("text-variable-anchor", .enumerations([TextAnchor]()))
        textRadialOffset = try layout.readIfPresent("text-radial-offset", .number(0))
        textMaxWidth = try layout.read("text-max-width", .number(10))
        textLineHeight = try layout.read("text-line-height", .number(1.2))
        textRotate = try layout.read("text-rotate", .number(0))
        placement = try layout.read("symbol-placement", .enumeration(SymbolPlacement.point))
        allowOverlap = try layout.read("text-allow-overlap", .boolean(false))
        ignorePlacement = try layout.read("text-ignore-placement", .boolean(false))
        optional = try layout.read("text-optional", .boolean(false))
        padding = try layout.read("text-padding", .number(2))
        transform = try layout.read("text-transform", .enumeration(TextTransform.none))
        letterSpacing = try layout.read("text-letter-spacing", .number(0))
        justify = try layout.read("text-justify", .enumeration(TextJustify.center))
        sortKey = try layout.readIfPresent("symbol-sort-key", .number(0))
        spacing = try layout.read("symbol-spacing", .number(250))
        maxAngle = try layout.read("text-max-angle", .number(45))
        rotationAlignment = try layout.read("text-rotation-alignment", .enumeration(TextRotationAlignment.auto))
        keepUpright = try layout.read("text-keep-upright", .boolean(true))
        avoidEdges = try layout.read("symbol-avoid-edges", .boolean(false))
        textColor = try paint.read("text-color", .color(.black))
        textOpacity = try paint.read("text-opacity", .number(1))
        textHaloColor = try paint.read("text-halo-color", .color(.transparent))
        textHaloWidth = try paint.read("text-halo-width", .number(0))
        textHaloBlur = try paint.read("text-halo-blur", .number(0))
        icon = try IconProperties(paint: paint, layout: layout)
    }
}
