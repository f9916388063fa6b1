import CairnCore
import PostgresNIO

/// Describes a table from the database's catalog, with bound parameters only: its columns from
/// `information_schema.columns`, its geometry column and SRID from `geometry_columns`, its CRS from
/// `spatial_ref_sys` (EPSG codes as EPSG, so PROJ picks the same datum transformation as for files).
enum PostGISCatalog {
    static func describe(_ name: PostGISTableName, geometryColumn: String?, crs sourceCRS: CRSDefinition?,
                         in database: PostGISDatabase) async throws -> PostGISTable {
        let context = ["database": database.name, "url": database.configuration.displayURL, "table": name.description]
        var columnTypes: [String: String] = [:]
        var columnNames: [String] = []
        let columns = try await database.rows("""
            SELECT column_name::text, udt_name::text FROM information_schema.columns
            WHERE table_schema = \(name.schema) AND table_name = \(name.table) ORDER BY ordinal_position
            """)
        for row in columns {
            let (column, type) = try row.decode((String, String).self)
            columnTypes[column] = type
            columnNames.append(column)
        }
        guard !columnNames.isEmpty else {
            throw PostGISError(.noSuchTable, "table \(name) does not exist in database \(database.name) (\(database.configuration.displayURL)), or user \(database.configuration.user) may not read it", context: context)
        }

        let geometries = try await database.rows("""
            SELECT f_geometry_column::text, srid FROM geometry_columns
            WHERE f_table_schema = \(name.schema) AND f_table_name = \(name.table) ORDER BY f_geometry_column
            """)
        var registered: [(column: String, srid: Int)] = []
        for row in geometries {
            let (column, srid) = try row.decode((String, Int32).self)
            registered.append((column, Int(srid)))
        }
        let column: String
        var srid = 0
        if let geometryColumn {
            guard columnTypes[geometryColumn] != nil else {
                throw PostGISError(.noGeometryColumn, "table \(name) has no column \"\(geometryColumn)\" (the source's \"geometry\"); columns: \(columnNames.joined(separator: ", "))", context: context)
            }
            guard columnTypes[geometryColumn] == "geometry" else {
                throw PostGISError(.noGeometryColumn, "column \"\(geometryColumn)\" of table \(name) is \(columnTypes[geometryColumn] ?? "?"), expected geometry", context: context)
            }
            column = geometryColumn
            srid = registered.first { $0.column == geometryColumn }?.srid ?? 0
        } else if registered.count == 1 {
            column = registered[0].column
            srid = registered[0].srid
        } else if registered.isEmpty {
            let candidates = columnNames.filter { columnTypes[$0] == "geometry" }
            guard candidates.count == 1 else {
                throw PostGISError(.noGeometryColumn, "table \(name) has \(candidates.isEmpty ? "no geometry column" : "several geometry columns (\(candidates.joined(separator: ", ")))"); name one with \"geometry\" in the style's source", context: context)
            }
            column = candidates[0]
        } else {
            throw PostGISError(.noGeometryColumn, "table \(name) has several geometry columns (\(registered.map(\.column).joined(separator: ", "))); name one with \"geometry\" in the style's source", context: context)
        }

        let crs: CRSDefinition
        if let sourceCRS {
            crs = sourceCRS
        } else if srid > 0 {
            crs = try await Self.crs(srid: srid, in: database)
        } else {
            throw PostGISError(.noCRS, "geometry column \"\(column)\" of table \(name) has no SRID; give the source a \"crs\" (e.g. \"EPSG:9210\")", context: context)
        }
        return PostGISTable(name: name, geometryColumn: column, srid: srid, crs: crs, columnTypes: columnTypes, columnNames: columnNames)
    }

    private static func crs(srid: Int, in database: PostGISDatabase) async throws -> CRSDefinition {
        let rows = try await database.rows("SELECT coalesce(auth_name, '')::text, coalesce(auth_srid, 0), coalesce(srtext, '')::text FROM spatial_ref_sys WHERE srid = \(Int32(srid))")
        guard let row = rows.first else { return .epsg(srid) }
        let (authority, code, text) = try row.decode((String, Int32, String).self)
        if authority.uppercased() == "EPSG", code > 0 { return .epsg(Int(code)) }
        return text.isEmpty ? .epsg(srid) : .text(text)
    }
}
