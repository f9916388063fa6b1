/// A failure to encode or decode a WebP image.
public struct WebPError: Error, Sendable, CustomStringConvertible {
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

    public var description: String { "WebPError.\(code): \(message)" }
}
