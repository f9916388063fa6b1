import CairnRender
import CairnVectorTile

/// One glyph range ready to serve: MapLibre's glyph protobuf and a strong ETag of its bytes.
public struct GlyphRange: Sendable {
    public let data: [UInt8]
    public let etag: String
    /// Code points with a glyph (some font of the stack, or a substitute, has them).
    public let glyphCount: Int

    /// Renders the range's distance fields and encodes them. Blocking: call it on a thread pool.
    static func make(_ request: GlyphRangeRequest) throws(EngineError) -> GlyphRange {
        let glyphs: [SDFGlyph]
        do {
            glyphs = try GlyphRangeRenderer.render(fontstack: request.fontstack, start: request.start)
        } catch {
            throw EngineError(.renderFailed, "the glyphs for font stack '\(request.fontstackName)' cannot be made", detail: error.description)
        }
        let stack = GlyphRangePBF.Stack(
            name: request.fontstackName, range: "\(request.start)-\(request.end)",
            glyphs: glyphs.map {
                GlyphRangePBF.Glyph(id: $0.codePoint, bitmap: $0.bitmap, width: UInt32($0.width), height: UInt32($0.height),
                                    left: Int32($0.left), top: Int32($0.top), advance: UInt32(max(0, $0.advance)))
            })
        let data = GlyphRangePBF.encode(stack)
        // FNV-1a of the bytes: the same fonts give the same tag across restarts and servers.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return GlyphRange(data: data, etag: "\"g" + String(hash, radix: 16) + "\"", glyphCount: glyphs.count)
    }
}
