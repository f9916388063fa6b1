import CairnCore

/// Icon properties of a `symbol` layer (`icon-*`); the image comes from the style's sprite.
public struct IconProperties: Sendable {
    /// The sprite image id; an empty string or an id the sprite lacks draws no icon (as in MapLibre).
    public let image: StyleProperty<String>
    /// Scale of the sprite image (1 = its size in CSS px).
    public let size: StyleProperty<Double>
    /// Clockwise, in degrees.
    public let rotate: StyleProperty<Double>
    public let anchor: StyleProperty<TextAnchor>
    /// In CSS px multiplied by `icon-size`, [x, y].
    public let offset: StyleProperty<[Double]>
    public let opacity: StyleProperty<Double>
    /// For signed-distance-field images (`"sdf": true` in the sprite): the fill and halo colours.
    public let color: StyleProperty<Color>
    public let haloColor: StyleProperty<Color>
    /// CSS px around the icon's edge.
    public let haloWidth: StyleProperty<Double>
    public let allowOverlap: StyleProperty<Bool>
    public let ignorePlacement: StyleProperty<Bool>
    public let optional: StyleProperty<Bool>
    public let padding: StyleProperty<Double>
    public let textFit: StyleProperty<IconTextFit>
    /// [top, right, bottom, left] in CSS px.
    public let textFitPadding: StyleProperty<[Double]>
    public let rotationAlignment: StyleProperty<TextRotationAlignment>
    public let keepUpright: StyleProperty<Bool>

    init?(paint: PropertyReader, layout: PropertyReader) throws {
        guard let image = try layout.readIfPresent("icon-image", .imageName) else {
            // Read (and so accept) the rest anyway: a style may set them before choosing images.
            for name in Self.layoutNames { _ = layout.raw(name) }
            return nil
        }
        self.image = image
        size = try layout.read("icon-size", .number(1))
        rotate = try layout.read("icon-rotate", .number(0))
        anchor = try layout.read("icon-anchor", .enumeration(TextAnchor.center))
        offset = try layout.read("icon-offset", .numbers([0, 0], count: 2))
        allowOverlap = try layout.read("icon-allow-overlap", .boolean(false))
        ignorePlacement = try layout.read("icon-ignore-placement", .boolean(false))
        optional = try layout.read("icon-optional", .boolean(false))
        padding = try layout.read("icon-padding", .number(2))
        textFit = try layout.read("icon-text-fit", .enumeration(IconTextFit.none))
        textFitPadding = try layout.read("icon-text-fit-padding", .numbers([0, 0, 0, 0], count: 4))
        rotationAlignment = try layout.read("icon-rotation-alignment", .enumeration(TextRotationAlignment.auto))
        keepUpright = try layout.read("icon-keep-upright", .boolean(false))
        opacity = try paint.read("icon-opacity", .number(1))
        color = try paint.read("icon-color", .color(.black))
        haloColor = try paint.read("icon-halo-color", .color(.transparent))
        haloWidth = try paint.read("icon-halo-width", .number(0))
        // A blurred halo is drawn sharp.
        _ = try paint.read("icon-halo-blur", .number(0))
        // A flat raster map has no pitch.
        _ = layout.raw("icon-pitch-alignment")
    }

    private static let layoutNames = ["icon-size", "icon-rotate", "icon-anchor", "icon-offset", "icon-allow-overlap",
                                      "icon-ignore-placement", "icon-optional", "icon-padding", "icon-text-fit",
                                      "icon-text-fit-padding", "icon-rotation-alignment", "icon-keep-upright",
                                      "icon-pitch-alignment"]
}
