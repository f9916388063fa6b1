/// How one cache file serves, for `/health` and the metrics.
public struct CacheFileStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Read and written as usual.
        case ok
        /// Hits are served from it; misses are rendered and not stored (the file, its folder or
        /// its disk cannot be written).
        case readOnly = "read-only"
        /// It cannot be opened or read: every tile is rendered and nothing is stored, until a
        /// retry opens it again.
        case renderThrough = "render-through"
    }

    public var map: String
    /// The product, e.g. `png@1x` or `pbf`.
    public var product: String
    public var path: String
    public var state: State
    /// Why it is not `ok` (names the file and SQLite's or the system's reason).
    public var reason: String?
}
