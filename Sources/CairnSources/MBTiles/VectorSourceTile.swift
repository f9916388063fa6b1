import CairnCore

/// One decoded vector tile of a source, its features already in Web Mercator metres (EPSG:3857),
/// grouped by source layer. Immutable, so renders on several threads can share it from a cache.
public struct VectorSourceTile: Sendable {
    /// The tile's XYZ address (row 0 at the top).
    public let coordinate: TileCoordinate
    /// The square the tile covers, in EPSG:3857 metres. Its features reach a little past it
    /// (the tile's buffer); renderers clip to this square so neighbouring tiles never draw twice.
    public let bounds: BoundingBox
    /// Features by source layer name.
    public let layers: [String: [Feature]]
    /// The bounding box of each feature, parallel to `layers`, so renders skip features outside
    /// their area without walking the geometry (most of a neighbouring tile lies outside).
    public let featureBounds: [String: [BoundingBox]]

    public init(coordinate: TileCoordinate, bounds: BoundingBox, layers: [String: [Feature]]) {
        self.coordinate = coordinate
        self.bounds = bounds
        self.layers = layers
        self.featureBounds = layers.mapValues { $0.map(\.geometry.boundingBox) }
    }

    /// Number of features over all layers.
    public var featureCount: Int { layers.values.reduce(0) { $0 + $1.count } }
}
