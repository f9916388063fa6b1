/// A tile matrix set document that cannot be read, naming the file and the JSON path at fault,
/// e.g. `grids/x.json: tileMatrices[3].cellSize: expected a positive number`.
public struct TileMatrixSetError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not JSON, or not a JSON object.
        case malformed
        /// A member is missing or has the wrong type or value.
        case invalid
        /// Valid TMS 2.0, but a shape Cairn's grids cannot represent (another corner of origin,
        /// variable matrix widths, non-square tiles, ...).
        case unsupported
    }

    public var code: Code
    /// The document's path, as given to the parser.
    public var file: String
    /// Where in the JSON, e.g. `tileMatrices[3].cellSize`; empty for the whole document.
    public var jsonPath: String
    public var message: String

    public init(_ code: Code, file: String, jsonPath: String, _ message: String) {
        self.code = code
        self.file = file
        self.jsonPath = jsonPath
        self.message = message
    }

    public var description: String {
        jsonPath.isEmpty ? "\(file): \(message)" : "\(file): \(jsonPath): \(message)"
    }
}
