import CairnCore

/// One layer of features as read from a file, in the layer's own CRS.
public struct LayerData: Sendable {
    /// The layer (table, file or collection) name.
    public var name: String
    public var features: [Feature]
    /// The CRS the data declares (GeoPackage srs_id, .prj, GeoJSON `crs`); nil when it declares none.
    public var crs: CRSDefinition?
    /// What the reader skipped or doubted without failing (GDAL's warnings, entities a DXF holds that
    /// GDAL does not read), for the log and `cairn validate`.
    public var warnings: [String] = []

    public init(name: String, features: [Feature], crs: CRSDefinition?, warnings: [String] = []) {
        self.name = name
        self.features = features
        self.crs = crs
        self.warnings = warnings
    }
}

/// What a layer read needs: which layer, optionally only features in a box (in the
/// layer's own CRS), and optionally only some attributes (nil = all of them).
public struct LayerQuery: Sendable {
    public var layer: String?
    public var bbox: BoundingBox?
    public var attributes: Set<String>?

    public init(layer: String? = nil, bbox: BoundingBox? = nil, attributes: Set<String>? = nil) {
        self.layer = layer
        self.bbox = bbox
        self.attributes = attributes
    }
}

/// The one contract every file format implements.
public protocol LayerReader {
    /// The layers the file holds.
    func layerNames() throws -> [String]
    /// Reads one layer. `query.layer` nil means the only (or first) layer.
    func read(_ query: LayerQuery) throws -> LayerData
}
