/// A zlib failure: which operation, and zlib's own message.
public struct ZlibError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case corrupt
        case tooLarge
        case internalFailure
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
