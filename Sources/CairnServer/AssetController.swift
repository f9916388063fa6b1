import CairnEngine
import HTTPTypes
import Hummingbird

/// `GET /assets/maplibre-gl.js` and `/assets/maplibre-gl.css` (404 when MapLibre is not installed).
struct AssetController: Sendable {
    typealias Context = CairnRequestContext

    let assets: MapLibreAssets

    func register(in routes: GuardedRouter) {
        routes.get("/assets/:file", access: .open) { request, context in try asset(request, context) }
    }

    func asset(_ request: Request, _ context: Context) throws -> Response {
        guard let file = assets.files[context.parameters.get("file") ?? ""] else {
            throw EngineError(.notFound, assets.unavailableReason ?? "no such asset")
        }
        let gzip = !file.gzipped.isEmpty && VectorTileController.acceptsGzip(request.headers[values: .acceptEncoding])
        let etag = gzip ? String(file.etag.dropLast()) + "-gzip\"" : file.etag
        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.cacheControl] = "public, max-age=86400"
        headers[.vary] = "Accept-Encoding"
        headers[.xContentTypeOptions] = "nosniff"
        if let ifNoneMatch = request.headers[.ifNoneMatch], TileController.matches(ifNoneMatch, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = file.contentType
        let body = gzip ? file.gzipped : file.data
        if gzip { headers[.contentEncoding] = "gzip" }
        headers[.contentLength] = String(body.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
