/// A failure to read spatial data, naming the file and what was wrong with it.
public struct SourceError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case notFound, unsupportedFormat, malformed, unknownLayer, unsupportedGeometry, databaseError
        }
        private let wrapped: Wrapped
        public static var notFound: Self { .init(wrapped: .notFound) }
        public static var unsupportedFormat: Self { .init(wrapped: .unsupportedFormat) }
        public static var malformed: Self { .init(wrapped: .malformed) }
        public static var unknownLayer: Self { .init(wrapped: .unknownLayer) }
        public static var unsupportedGeometry: Self { .init(wrapped: .unsupportedGeometry) }
        public static var databaseError: Self { .init(wrapped: .databaseError) }
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    /// The file the error is about.
    public var path: String
    /// What was wrong, e.g. "feature 12: ring has 2 points, expected at least 4".
    public var message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
