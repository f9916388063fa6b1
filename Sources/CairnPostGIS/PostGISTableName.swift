/// A table or view a style layer reads: `source-layer` as `schema.table`, or `table` in `public`.
/// Names are kept as written (PostgreSQL folds unquoted names to lower case; Cairn always quotes, so
/// `"Parcels"` and `parcels` are different tables, as in `geometry_columns`).
public struct PostGISTableName: Hashable, Sendable, CustomStringConvertible {
    public let schema: String
    public let table: String

    public init(schema: String = "public", table: String) {
        self.schema = schema
        self.table = table
    }

    /// Parses `schema.table` or `table`. Nil for an empty part, more than one dot, a NUL or a name over
    /// PostgreSQL's 63 bytes: such a name cannot be a table, and is refused before it reaches SQL.
    public init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count) else { return nil }
        for part in parts where part.isEmpty || part.utf8.count > 63 || part.utf8.contains(0) { return nil }
        if parts.count == 2 { self.init(schema: parts[0], table: parts[1]) } else { self.init(table: parts[0]) }
    }

    /// `"schema"."table"`, safe to put in SQL text.
    public var quoted: String { SQLIdentifier.quote(schema) + "." + SQLIdentifier.quote(table) }

    public var description: String { schema + "." + table }
}

/// Quoting of identifiers, the one thing SQL text cannot take as a bound parameter.
public enum SQLIdentifier {
    /// `"name"` with embedded quotes doubled, as PostgreSQL's `quote_ident` does. Callers validate
    /// names first (`PostGISTableName`); this keeps even an unexpected one inert.
    public static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
