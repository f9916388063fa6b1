import CairnEngine
import HTTPTypes
import Hummingbird

/// `GET /fonts/{fontstack}/{start}-{end}.pbf`: MapLibre glyph ranges (signed distance fields) made
/// from the fonts the raster renderer draws labels with, so clients show the same labels. Open,
/// like the viewer's other assets: fonts say nothing about any map. An unknown font falls back to
/// the default font as raster labels do; a malformed stack or range is a 400 saying what was expected.
struct FontController: Sendable {
    typealias Context = CairnRequestContext

    let engine: TileEngine

    static var contentType: String { "application/x-protobuf" }
    /// A range changes only when the server's fonts do (its ETag then changes too).
    static let maxAgeSeconds = 7 * 24 * 3600

    func register(in routes: GuardedRouter) {
        routes.get("/fonts/:fontstack/{range}.pbf", access: .open) { request, context in try await glyphs(request, context) }
    }

    func glyphs(_ request: Request, _ context: Context) async throws -> Response {
        let glyphRequest = try GlyphRangeRequest(fontstack: context.parameters.get("fontstack") ?? "",
                                                 range: context.parameters.get("range") ?? "")
        let range = try await engine.glyphRange(glyphRequest)
        var headers = HTTPFields()
        headers[.eTag] = range.etag
        headers[.cacheControl] = "public, max-age=\(Self.maxAgeSeconds)"
        headers[.accessControlAllowOrigin] = "*"
        headers[.xContentTypeOptions] = "nosniff"
        if let ifNoneMatch = request.headers[.ifNoneMatch], TileController.matches(ifNoneMatch, etag: range.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = Self.contentType
        headers[.contentLength] = String(range.data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: range.data)))
    }
}
