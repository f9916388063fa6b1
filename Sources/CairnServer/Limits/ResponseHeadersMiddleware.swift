import Foundation
import HTTPTypes
import Hummingbird

/// Headers every public response carries:
/// - `X-Content-Type-Options: nosniff`, so a tile (or anything else) is only ever taken for the
///   type it is labelled with, whatever its bytes look like;
/// - `Vary: Host` on documents (TileJSON, styles, WMTS capabilities, OGC API pages and the
///   like, i.e. everything but tiles): their URLs are built from the request's `Host`, and they
///   are cached `public`, so a shared cache must not hand one host's document to another. Tiles
///   do not depend on `Host` and stay shareable.
struct ResponseHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        Self.decorate(&response.headers)
        return response
    }

    static func decorate(_ headers: inout HTTPFields) {
        if headers[.xContentTypeOptions] == nil { headers[.xContentTypeOptions] = "nosniff" }
        // A tile's 304 carries no Content-Type; its X-Cairn-Cache says it is a tile all the same.
        guard !isTile(headers[.contentType]), headers[.xCairnCache] == nil else { return }
        let vary = headers[values: .vary].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !vary.contains(where: { $0.lowercased() == "host" || $0 == "*" }) else { return }
        // One field, so clients and tools that keep one value per header name see all of it.
        headers[.vary] = (vary.filter { !$0.isEmpty } + ["Host"]).joined(separator: ", ")
    }

    /// Raster and vector tiles: their bytes do not depend on the request's host.
    static func isTile(_ contentType: String?) -> Bool {
        guard let type = contentType?.lowercased() else { return false }
        return type.hasPrefix("image/") || type.hasPrefix("application/vnd.mapbox-vector-tile") || type.hasPrefix("application/x-protobuf")
    }
}
