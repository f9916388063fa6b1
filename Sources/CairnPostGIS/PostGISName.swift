/// The names a style may give a PostGIS table, view or column: letters (any script), digits, `_`,
/// `$` and `-`, at most 63 bytes, as unquoted and ordinarily quoted PostgreSQL names are. Anything
/// else (quotes, `;`, spaces, comment markers) is refused before it could reach SQL, even though
/// Cairn quotes every identifier anyway.
public enum PostGISName {
    public static func isAcceptable(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 63 else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "$" || scalar == "-"
        } && !name.contains("--")
    }

    /// Parses `schema.table` or `table` from a layer's `source-layer`.
    /// - Throws: `PostGISError(.invalidName)` saying what is expected.
    public static func table(_ text: String) throws -> PostGISTableName {
        guard let name = PostGISTableName(parsing: text), isAcceptable(name.schema), isAcceptable(name.table) else {
            throw PostGISError(.invalidName, "expected a table or view name, `table` or `schema.table`, of letters, digits, '_', '$' and '-' (at most 63 bytes each), got \(quoted(text))")
        }
        return name
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
