import NIOCore

/// A tile held in memory, ready to be written as it is: its bytes in a `ByteBuffer` (written
/// without copying), and the header values every answer with it carries, formatted once.
public struct MemoryTile: Sendable {
    public let body: ByteBuffer
    /// Quoted, as the ETag header carries it.
    public let etag: String
    /// `public, max-age=N` from the map.
    public let cacheControl: String
    public let contentLength: String

    init(data: [UInt8], etag: String, maxAgeSeconds: Int) {
        body = ByteBuffer(bytes: data)
        self.etag = etag
        cacheControl = "public, max-age=\(maxAgeSeconds)"
        contentLength = String(data.count)
    }

    /// What the entry costs: its bytes plus a fixed overhead for the key, the strings and the table.
    var cost: Int { body.readableBytes + 256 }

    var result: TileResult {
        var result = TileResult(data: Array(body.readableBytesView), etag: etag, cacheHit: true)
        result.body = body
        return result
    }
}
