/// A sprite that cannot be used: its JSON index or image is unreadable or inconsistent.
public struct SpriteError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable {
        case unreadableFile
        case malformedJSON
        case invalidIndex
        case invalidImage
        case invalidIcon
    }

    public let code: Code
    /// The file at fault.
    public let file: String
    /// A JSON path (`"airport.width"`), a line and column, or empty.
    public let location: String
    public let message: String

    public init(_ code: Code, file: String, location: String = "", _ message: String) {
        self.code = code
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        location.isEmpty ? "\(file): \(message)" : "\(file): \(location): \(message)"
    }
}
