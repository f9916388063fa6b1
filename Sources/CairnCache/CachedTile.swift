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
    /// The CRC-32 stored with the image when it was written; nil for images of files written
    /// before checksums were stored (they are checked structurally, see `problem(expecting:)`).
    public var checksum: UInt32?

    public init(data: [UInt8], etag: String, fingerprint: String, isStale: Bool = false, checksum: UInt32? = nil) {
        self.data = data
        self.etag = etag
        self.fingerprint = fingerprint
        self.isStale = isStale
        self.checksum = checksum
    }
}

extension CachedTile {
    // The checksum is redundant with `data` (a stored CRC that does not match is a damaged
    // image, which `problem(expecting:)` reports), so it takes no part in equality.
    public static func == (lhs: CachedTile, rhs: CachedTile) -> Bool {
        lhs.data == rhs.data && lhs.etag == rhs.etag && lhs.fingerprint == rhs.fingerprint && lhs.isStale == rhs.isStale
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(data)
        hasher.combine(etag)
        hasher.combine(fingerprint)
        hasher.combine(isStale)
    }
}
