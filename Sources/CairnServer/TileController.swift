import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /maps/{map}/{z}/{x}/{y}[@2x].png`
struct TileController: Sendable {
    typealias Context = CairnRequestContext

    let engine: TileEngine

    func register(in routes: GuardedRouter) {
        routes.get("/maps/:map/:z/:x/:file", access: .map(.maps, tile: .xyz)) { request, context in
            try await tile(request, context)
        }
    }

    func tile(_ request: Request, _ context: Context) async throws -> Response {
        let name = context.parameters.get("map") ?? ""
        guard MapConfiguration.isValidName(name) else { throw EngineError(.notFound, "no such map") }
        guard let address = TileAddress(z: context.parameters.get("z") ?? "", x: context.parameters.get("x") ?? "",
                                        file: context.parameters.get("file") ?? "") else {
            throw EngineError(.badRequest, "malformed tile address; expected /maps/{map}/{z}/{x}/{y}.png or {y}@2x.png with plain decimal numbers")
        }
        let map = try await engine.map(named: name)
        let result = try await engine.tile(map: name, address.tile, scale: address.scale, admission: context.renderAdmission)
        return Self.response(for: result, maxAgeSeconds: map.configuration.maxAgeSeconds, request: request)
    }

    /// The tile response every tile route shares (XYZ and WMTS): ETag, 304 on a matching
    /// If-None-Match, Cache-Control from the map, CORS open to all, and the cache status.
    static func response(for result: TileResult, maxAgeSeconds: Int, request: Request, contentType: String = "image/png") -> Response {
        var headers = HTTPFields()
        headers[.eTag] = result.etag
        headers[.cacheControl] = "public, max-age=\(maxAgeSeconds)"
        headers[.accessControlAllowOrigin] = "*"
        headers[.xCairnCache] = result.cacheHit ? "HIT" : "MISS"
        if let ifNoneMatch = request.headers[.ifNoneMatch], Self.matches(ifNoneMatch, etag: result.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        headers[.contentLength] = String(result.data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: result.body ?? ByteBuffer(bytes: result.data)))
    }

    /// RFC 9110 If-None-Match: `*` or a list of (possibly weak) entity tags.
    static func matches(_ header: String, etag: String) -> Bool {
        for candidate in header.split(separator: ",") {
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            if tag == etag { return true }
        }
        return false
    }
}
