/// A failure to encode or decode a PNG image.
public struct PNGError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it was.
    public enum Code: Sendable {
        case invalidDimensions
        case encodingFailed
        case decodingFailed
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "PNGError.\(code): \(message)" }
}
