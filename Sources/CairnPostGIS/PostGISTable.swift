import CairnCore

/// What Cairn knows of a table or view it reads: its geometry column, SRID and CRS, and its
/// columns with their PostgreSQL types (`udt_name`: text, int4, float8, numeric, bool, …).
public struct PostGISTable: Sendable, Hashable {
    public var name: PostGISTableName
    public var geometryColumn: String
    /// 0 when the column declares none (then `crs` came from the style's source).
    public var srid: Int
    public var crs: CRSDefinition
    /// Column name → type, in table order in `columnNames`.
    public var columnTypes: [String: String]
    public var columnNames: [String]

    public init(name: PostGISTableName, geometryColumn: String, srid: Int, crs: CRSDefinition, columnTypes: [String: String], columnNames: [String]) {
        self.name = name
        self.geometryColumn = geometryColumn
        self.srid = srid
        self.crs = crs
        self.columnTypes = columnTypes
        self.columnNames = columnNames
    }

    /// The attributes among `wanted` the table lacks, sorted.
    public func missingColumns(_ wanted: some Sequence<String>) -> [String] {
        wanted.filter { columnTypes[$0] == nil }.sorted()
    }

    /// "table public.parcels has no column "ten"; columns: gid, name, …"
    public func missingColumnsMessage(_ missing: [String]) -> String {
        let list = missing.map { "\"\($0)\"" }.joined(separator: ", ")
        let columns = columnNames.filter { $0 != geometryColumn }.joined(separator: ", ")
        return "table \(name) has no column\(missing.count == 1 ? "" : "s") \(list); columns: \(columns)"
    }
}
