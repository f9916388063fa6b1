/// A failure writing (or, in tests, reading) a PMTiles archive, naming the file when there is one.
public struct PMTilesError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The output file (or its spool beside it) could not be created, written or renamed.
        case io
        /// The output exists and overwriting was not allowed.
        case exists
        /// The filesystem is full.
        case noSpace
        /// Bytes that are not a valid PMTiles structure.
        case malformed
        /// Tiles the archive cannot hold (none at all, the same tile twice, a zoom above 31).
        case invalidTiles
    }

    public var code: Code
    public var path: String?
    public var message: String

    public init(_ code: Code, path: String? = nil, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { path.map { "\($0): \(message)" } ?? message }
}
