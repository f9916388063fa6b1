/// A failure in the engine, with a code the HTTP layer maps to a status in one place.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case badRequest, notFound, renderFailed, overloaded, cacheFailed, invalidConfiguration, mapUnavailable, rateLimited, sourceUnavailable
        }
        private let wrapped: Wrapped
        /// The request is malformed (400).
        public static var badRequest: Self { .init(wrapped: .badRequest) }
        /// Well-formed, but no such map or tile (404).
        public static var notFound: Self { .init(wrapped: .notFound) }
        /// Rendering failed (500/503).
        public static var renderFailed: Self { .init(wrapped: .renderFailed) }
        /// Too much work queued (503).
        public static var overloaded: Self { .init(wrapped: .overloaded) }
        public static var cacheFailed: Self { .init(wrapped: .cacheFailed) }
        public static var invalidConfiguration: Self { .init(wrapped: .invalidConfiguration) }
        /// The map failed to load (503).
        public static var mapUnavailable: Self { .init(wrapped: .mapUnavailable) }
        /// A database the map draws from cannot be read now (503 with Retry-After): the map is
        /// degraded, its cached tiles are still served.
        public static var sourceUnavailable: Self { .init(wrapped: .sourceUnavailable) }
        /// The client is over its rate limit (429).
        public static var rateLimited: Self { .init(wrapped: .rateLimited) }
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    /// Safe to show to a client: never contains file system paths or secrets.
    public var message: String
    /// What went wrong underneath, for logs and operators only (never sent to clients).
    public var detail: String?
    /// When to try again, for `.overloaded` and `.rateLimited` (the `Retry-After` header).
    public var retryAfterSeconds: Int?

    public init(_ code: Code, _ message: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var description: String { message }
}
