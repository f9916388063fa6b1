import CairnCore

/// One decoded Mapbox Vector Tile (MVT 2.1): its layers in file order.
public struct VectorTile: Sendable, Equatable {
    public var layers: [VectorTileLayer]

    public init(layers: [VectorTileLayer] = []) {
        self.layers = layers
    }

    /// The layer with this name, if the tile has one.
    public func layer(named name: String) -> VectorTileLayer? {
        layers.first { $0.name == name }
    }
}

/// One named layer of a vector tile. Feature geometries are in tile coordinates:
/// 0...extent, x to the right and y downwards, as the MVT specification defines them.
public struct VectorTileLayer: Sendable, Equatable {
    public var name: String
    public var version: Int
    public var extent: Int
    public var features: [VectorTileFeature]

    public init(name: String, version: Int = 2, extent: Int = 4096, features: [VectorTileFeature] = []) {
        self.name = name
        self.version = version
        self.extent = extent
        self.features = features
    }
}

/// One feature of a vector tile layer.
public struct VectorTileFeature: Sendable, Equatable {
    /// The MVT geometry type as declared in the tile (UNKNOWN is kept, though the geometry is then empty).
    public enum GeometryType: Int, Sendable {
        case unknown = 0
        case point = 1
        case lineString = 2
        case polygon = 3
    }

    public var id: UInt64?
    public var type: GeometryType
    /// Tile coordinates (see `VectorTileLayer`). Polygons are split into exterior rings with their holes
    /// by winding order, as MVT 2.1 says.
    public var geometry: Geometry
    public var properties: [String: PropertyValue]

    public init(id: UInt64? = nil, type: GeometryType, geometry: Geometry, properties: [String: PropertyValue] = [:]) {
        self.id = id
        self.type = type
        self.geometry = geometry
        self.properties = properties
    }
}
