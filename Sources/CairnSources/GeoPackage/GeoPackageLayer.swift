import Foundation
import CairnCore
import CairnSQLite

/// What gpkg_contents, gpkg_geometry_columns, gpkg_spatial_ref_sys and the table's own
/// schema say about one feature table.
public struct GeoPackageLayer: Sendable, Hashable {
    /// One attribute column and its declared SQL type.
    public struct Column: Sendable, Hashable {
        public var name: String
        public var declaredType: String
    }

    /// The table name, which is also the layer name.
    public var name: String
    public var geometryColumn: String
    /// gpkg_geometry_columns.geometry_type_name, e.g. "MULTIPOLYGON".
    public var geometryTypeName: String
    public var srsID: Int
    /// The CRS from gpkg_spatial_ref_sys; nil for the undefined systems (srs_id 0 and -1).
    public var crs: CRSDefinition?
    /// The INTEGER PRIMARY KEY column (the feature id); "rowid" when the table declares none.
    public var primaryKey: String
    /// The attribute columns, without the primary key and geometry column, in table order.
    public var columns: [Column]
    /// The R-tree (`rtree_<table>_<column>`) when the gpkg_rtree_index extension is registered and the table exists.
    public var spatialIndexTable: String?

    /// The kind an empty geometry of this layer gets.
    var declaredKind: GeometryKind {
        let type = geometryTypeName.uppercased()
        if type.contains("POLYGON") || type.contains("SURFACE") { return .polygon }
        if type.contains("LINESTRING") || type.contains("CURVE") { return .lineString }
        return .point
    }
}

extension GeoPackageLayer {
    /// Reads every 'features' layer of the GeoPackage, in gpkg_contents order.
    static func loadAll(from connection: SQLiteConnection) throws -> [GeoPackageLayer] {
        let hasExtensions = try tableExists("gpkg_extensions", in: connection)
        let statement = try connection.prepare("""
            SELECT c.table_name, g.column_name, g.geometry_type_name, g.srs_id
            FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
            WHERE c.data_type = ? ORDER BY c.rowid
            """)
        try statement.bind("features", at: 1)
        var rows: [(String, String, String, Int)] = []
        while try statement.step() {
            rows.append((statement.string(0) ?? "", statement.string(1) ?? "", statement.string(2) ?? "", Int(statement.int64(3))))
        }
        var crsCache: [Int: CRSDefinition?] = [:]
        return try rows.map { table, column, typeName, srsID in
            let crs: CRSDefinition?
            if let cached = crsCache[srsID] {
                crs = cached
            } else {
                crs = try loadCRS(srsID: srsID, from: connection)
                crsCache[srsID] = crs
            }
            let (primaryKey, columns) = try loadColumns(table: table, geometryColumn: column, from: connection)
            var spatialIndex: String?
            let rtree = "rtree_\(table)_\(column)"
            if hasExtensions, try tableExists(rtree, in: connection) {
                let check = try connection.prepare("""
                    SELECT 1 FROM gpkg_extensions WHERE lower(table_name) = lower(?)
                    AND lower(column_name) = lower(?) AND extension_name = ?
                    """)
                try check.bind(table, at: 1)
                try check.bind(column, at: 2)
                try check.bind("gpkg_rtree_index", at: 3)
                if try check.step() { spatialIndex = rtree }
            }
            return GeoPackageLayer(
                name: table, geometryColumn: column, geometryTypeName: typeName, srsID: srsID, crs: crs,
                primaryKey: primaryKey, columns: columns, spatialIndexTable: spatialIndex
            )
        }
    }

    static func tableExists(_ name: String, in connection: SQLiteConnection) throws -> Bool {
        let statement = try connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        try statement.bind(name, at: 1)
        return try statement.step()
    }

    /// EPSG-registered systems become `.epsg(code)`; others keep their WKT for PROJ.
    private static func loadCRS(srsID: Int, from connection: SQLiteConnection) throws -> CRSDefinition? {
        let statement = try connection.prepare(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?")
        try statement.bind(Int64(srsID), at: 1)
        guard try statement.step() else { return nil }
        let organization = statement.string(0)?.uppercased() ?? ""
        let code = statement.int64(1)
        if organization == "EPSG" && code > 0 { return .epsg(Int(code)) }
        let definition = statement.string(2)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if definition.isEmpty || definition.lowercased() == "undefined" { return nil }
        return .text(definition)
    }

    private static func loadColumns(table: String, geometryColumn: String, from connection: SQLiteConnection) throws -> (String, [Column]) {
        let statement = try connection.prepare("SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid")
        try statement.bind(table, at: 1)
        var primaryKeys: [Column] = []
        var columns: [Column] = []
        while try statement.step() {
            let column = Column(name: statement.string(0) ?? "", declaredType: statement.string(1) ?? "")
            if statement.int64(2) > 0 {
                primaryKeys.append(column)
            } else if column.name != geometryColumn {
                columns.append(column)
            }
        }
        if primaryKeys.count == 1, primaryKeys[0].declaredType.uppercased() == "INTEGER" {
            return (primaryKeys[0].name, columns)
        }
        // No integer key: the rowid is the feature id, and any other key columns are plain attributes.
        return ("rowid", primaryKeys.filter { $0.name != geometryColumn } + columns)
    }
}
