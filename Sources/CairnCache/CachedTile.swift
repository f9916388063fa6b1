/// A tile as the cache holds it: the encoded image, its HTTP ETag, the fingerprint
/// (style + data version) it was rendered from, and whether it was expired.
public struct CachedTile: Sendable, Hashable {
    public var data: [UInt8]
    /// The entity tag in its quoted HTTP form (`"…"`), whatever quoting the writer used.
    public var etag: String
    public var fingerprint: String
    /// The tile was marked stale (expired): still a valid image of `fingerprint`, but the
    /// data changed under it, so it should be re-rendered (and may be served meanwhile).
    public var isStale: Bool

    public init(data: [UInt8], etag: String, fingerprint: String, isStale: Bool = false) {
        self.data = data
        self.etag = etag
        self.fingerprint = fingerprint
        self.isStale = isStale
    }
}
