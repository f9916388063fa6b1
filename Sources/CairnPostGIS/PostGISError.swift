/// A failure reading a PostGIS database: what went wrong, in words an operator can act on, with
/// the database's display URL (never its password) and the table in `context`.
public struct PostGISError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The database cannot be reached or refuses the connection (down, wrong password, TLS).
        case unavailable
        /// The table or view does not exist (or the user may not read it).
        case noSuchTable
        /// The table has no usable geometry column, or several and the source names none.
        case noGeometryColumn
        /// The geometry column has no SRID and the source gives no `crs`.
        case noCRS
        /// A column the style reads is not in the table.
        case noSuchColumn
        /// A name in the style cannot be a table or column name.
        case invalidName
        /// The database answered with an error (SQL state in the message).
        case queryFailed
        /// A row could not be decoded (bad WKB).
        case badData
    }

    public var code: Code
    public var message: String
    /// Database name, display URL, table: for logs and `/health`.
    public var context: [String: String]

    public init(_ code: Code, _ message: String, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// Whether the table's description may have changed (dropped, altered): describe it again.
    public var isSchemaChange: Bool { code == .noSuchTable || code == .noSuchColumn || code == .noGeometryColumn }

    public var description: String { message }
}
