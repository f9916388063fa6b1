/// Why a vector tile could not be decoded or encoded. Always an error for that one tile.
public struct VectorTileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The protobuf wire format is broken: truncated, bad varint, wrong wire type, lengths past the end.
        case malformed
        /// The geometry command stream is invalid: unknown command, counts past the end, ring too short.
        case invalidGeometry
        /// The tile is valid protobuf but breaks the MVT rules (missing layer name, key index out of range...).
        case invalidTile
        /// A declared size exceeds the decoder's limits.
        case tooLarge
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
