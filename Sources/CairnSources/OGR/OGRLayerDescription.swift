import CairnCore
import CairnGDAL

/// What `cairn validate` reports about one layer GDAL reads, without reading its features.
public struct OGRLayerDescription: Sendable {
    public var name: String
    /// GDAL's driver, e.g. "MapInfo File".
    public var driver: String
    public var fields: [OGRField]
    public var featureCount: Int?
    /// The layer's extent in its own CRS; nil for an empty layer.
    public var extent: BoundingBox?
    /// The CRS the data declares; nil when it declares none.
    public var spatialReference: OGRSpatialReferenceInfo?
}
