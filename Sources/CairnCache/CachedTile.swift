/// A tile as the cache holds it: the encoded image, its HTTP ETag, and the fingerprint
/// (style + data version) it was rendered from.
public struct CachedTile: Sendable, Hashable {
    public var data: [UInt8]
    public var etag: String
    public var fingerprint: String

    public init(data: [UInt8], etag: String, fingerprint: String) {
        self.data = data
        self.etag = etag
        self.fingerprint = fingerprint
    }
}
