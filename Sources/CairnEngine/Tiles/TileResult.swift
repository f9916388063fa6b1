import NIOCore

/// A tile as served: PNG bytes or a gzip-compressed vector tile, a strong validator, and whether it came from the cache.
public struct TileResult: Sendable {
    public var data: [UInt8]
    /// The same bytes in a buffer, when the tile came from the memory cache: written without copying.
    public var body: ByteBuffer?
    /// Quoted, as the ETag header carries it.
    public var etag: String
    public var cacheHit: Bool
    /// Made now and written to the cache file (only such tiles may be kept in memory: the file is
    /// what expiries change).
    var stored = false

    public init(data: [UInt8], etag: String, cacheHit: Bool) {
        self.data = data
        self.etag = etag
        self.cacheHit = cacheHit
    }

    static func etag(for data: [UInt8], fingerprint: String) -> String {
        var hash = Fingerprinter()
        hash.add(fingerprint)
        hash.add(data)
        return "\"" + hash.hex + "\""
    }
}
