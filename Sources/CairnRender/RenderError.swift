/// A failure to create a canvas or encode its tiles.
public struct RenderError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable {
        case canvasCreation
        case encoding
        case invalidTileGrid
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "RenderError.\(code): \(message)" }
}
