import CairnCore
import CairnPostGIS

/// A (source, source-layer) of a map read from a PostGIS table per metatile: which database and
/// table, the style source's geometry column and CRS overrides, and the attributes the style reads.
public struct PostGISLayerSource: Sendable, Hashable {
    /// The style source's id.
    public var source: String
    /// The configured database's name (`postgis://NAME`).
    public var database: String
    public var table: PostGISTableName
    public var geometryColumn: String?
    public var crs: CRSDefinition?
    public var attributes: Set<String>
}

/// One table a map draws from, for whoever must know which maps a database change affects
/// (expiry on edits): `TileEngine.postgisTableUses()`.
public struct PostGISTableUse: Sendable, Hashable {
    public var map: String
    /// The grid's identifier (a map offered in several grids is listed once per grid).
    public var grid: String
    public var database: String
    public var table: PostGISTableName
    /// The style source's id.
    public var source: String
}
