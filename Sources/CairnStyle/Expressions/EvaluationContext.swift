import CairnCore

/// What an expression may read: the zoom and the feature being styled. Building one is cheap
/// (the property dictionary is shared, not copied), so the renderer makes one per feature.
public struct EvaluationContext: Sendable {
    public var zoom: Double
    public var properties: [String: PropertyValue]
    public var geometryType: GeometryKind?
    public var featureID: Int64?
    /// The feature's shape, for `within` and `distance`; nil when the caller has none to give.
    public var geometry: FeatureGeometry?
    /// MapLibre's client-side state: a server has none, so `feature-state` and `global-state` read null
    /// unless a caller sets these.
    public var featureState: [String: ExpressionValue]?
    public var globalState: [String: ExpressionValue]?
    /// Attributes that are arrays or objects (GeoJSON can have them; vector tiles and databases give
    /// scalars). `get`, `has` and `properties` look here before `properties`.
    public var structuredProperties: [String: ExpressionValue]?
    /// Values a renderer supplies while drawing, by operator name (`heatmap-density`, `elevation`,
    /// `line-progress`, `accumulated`); Cairn's renderer draws none of these, so they are unset.
    public var renderingGlobals: [String: ExpressionValue]?
    /// Images `image` may resolve to; nil when unknown (every named image is then taken as available).
    public var availableImages: Set<String>?

    @inlinable
    public init(
        zoom: Double,
        properties: [String: PropertyValue] = [:],
        geometryType: GeometryKind? = nil,
        featureID: Int64? = nil
    ) {
        self.zoom = zoom
        self.properties = properties
        self.geometryType = geometryType
        self.featureID = featureID
    }

    /// The context for a feature at a zoom.
    @inlinable
    public init(zoom: Double, feature: Feature) {
        self.init(zoom: zoom, properties: feature.properties, geometryType: feature.geometry.kind, featureID: feature.id)
    }

    /// Used to fold constant sub-expressions while loading.
    static let constantFolding = EvaluationContext(zoom: 0)
}

/// A run-time failure of an expression (wrong input type, bad colour text...). Properties then
/// fall back to their default and filters to `false`, as MapLibre does.
@usableFromInline
struct ExpressionEvaluationError: Error {
    @usableFromInline var message: String

    @usableFromInline
    init(_ message: String) {
        self.message = message
    }
}
