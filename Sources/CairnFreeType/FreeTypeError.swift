/// A FreeType or fontconfig call that failed, with FreeType's error code when there is one.
public struct FreeTypeError: Error, Sendable, CustomStringConvertible {
    /// The raw `FT_Error` value (0 when the failure did not come from FreeType).
    public let code: Int32
    public let message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "FreeTypeError(\(code)): \(message)" }
}
