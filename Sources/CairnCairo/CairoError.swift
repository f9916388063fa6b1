internal import CCairo

/// A Cairo or Pango call that failed, with Cairo's status code when there is one.
public struct CairoError: Error, Sendable, CustomStringConvertible {
    /// The raw `cairo_status_t` value (0 when the failure did not come from a Cairo status).
    public let code: Int32
    public let message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    init(status: cairo_status_t, while action: String) {
        code = Int32(bitPattern: status.rawValue)
        message = "\(action): \(String(cString: cairo_status_to_string(status)))"
    }

    public var description: String { "CairoError(\(code)): \(message)" }
}
