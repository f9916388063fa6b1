/// A geometry blob that could not be decoded. It names no file or feature: the reader
/// that owns the blob wraps it into a `SourceError` with the table and feature id.
public struct GeometryBlobError: Error, Sendable, CustomStringConvertible {
    /// True when the blob is well formed but holds something not supported (curves, surfaces).
    public var isUnsupported: Bool
    /// What was wrong, e.g. "WKB ring of 1000000 points needs 16000000 bytes, 40 left at offset 13".
    public var message: String

    public init(_ message: String, isUnsupported: Bool = false) {
        self.message = message
        self.isUnsupported = isUnsupported
    }

    public var description: String { message }
}
