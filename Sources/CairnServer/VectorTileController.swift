import CairnConfiguration
import CairnCore
import CairnEngine
import CairnZlib
import Foundation
import HTTPTypes
import Hummingbird

/// Vector tiles and what MapLibre GL JS needs to draw them:
/// `GET /maps/{map}/{z}/{x}/{y}.pbf` (Mapbox Vector Tile 2.1, Web Mercator),
/// `GET /maps/{map}/vector.json` (TileJSON 3.0.0 with `vector_layers`) and
/// `GET /maps/{map}/style.json` (the map's style rewritten onto those tiles; see `ClientStyle`).
struct VectorTileController: Sendable {
    typealias Context = CairnRequestContext

    let engine: TileEngine
    let fallbackHost: String

    static var contentType: String { "application/vnd.mapbox-vector-tile" }

    func register(in routes: GuardedRouter) {
        // More specific than the PNG route's `:file`, so `.pbf` names come here.
        routes.get("/maps/:map/:z/:x/{y}.pbf", access: .map(.maps, tile: .xyzVector)) { request, context in try await tile(request, context) }
        routes.get("/maps/:map/vector.json", access: .map(.maps)) { request, context in try await tileJSON(request, context) }
        routes.get("/maps/:map/style.json", access: .map(.maps)) { request, context in try await style(request, context) }
    }

    func tile(_ request: Request, _ context: Context) async throws -> Response {
        let name = context.parameters.get("map") ?? ""
        guard MapConfiguration.isValidName(name) else { throw EngineError(.notFound, "no such map") }
        guard let z = TileAddress.number(context.parameters.get("z") ?? "", maxDigits: 2),
              let x = TileAddress.number(context.parameters.get("x") ?? "", maxDigits: 9),
              let y = TileAddress.number(context.parameters.get("y") ?? "", maxDigits: 9) else {
            throw EngineError(.badRequest, "malformed tile address; expected /maps/{map}/{z}/{x}/{y}.pbf with plain decimal numbers")
        }
        let map = try await engine.map(named: name)
        let result = try await engine.vectorTile(map: name, TileCoordinate(z: z, x: x, y: y), admission: context.renderAdmission)
        return try Self.response(for: result, maxAgeSeconds: map.configuration.maxAgeSeconds, request: request)
    }

    /// Gzip-compressed as cached when the client accepts gzip, inflated otherwise; each form has
    /// its own strong ETag (RFC 9110: validators differ between content codings).
    static func response(for result: TileResult, maxAgeSeconds: Int, request: Request) throws -> Response {
        let gzip = acceptsGzip(request.headers[values: .acceptEncoding])
        let etag = gzip ? result.etag : identityETag(result.etag)
        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.cacheControl] = "public, max-age=\(maxAgeSeconds)"
        headers[.accessControlAllowOrigin] = "*"
        headers[.vary] = "Accept-Encoding"
        headers[.xCairnCache] = result.cacheHit ? "HIT" : "MISS"
        if let ifNoneMatch = request.headers[.ifNoneMatch], TileController.matches(ifNoneMatch, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        let body: [UInt8]
        if gzip {
            body = result.data
            headers[.contentEncoding] = "gzip"
        } else {
            do {
                body = try Zlib.decompress(result.data)
            } catch {
                throw EngineError(.cacheFailed, "the cached tile is corrupt", detail: "\(error)")
            }
        }
        headers[.contentType] = contentType
        headers[.contentLength] = String(body.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// `"abc"` → `"abc-identity"`.
    static func identityETag(_ etag: String) -> String {
        etag.hasSuffix("\"") ? String(etag.dropLast()) + "-identity\"" : etag + "-identity"
    }

    /// Whether `Accept-Encoding` admits gzip (RFC 9110 §12.5.3): `gzip`, `x-gzip` or `*` with a
    /// non-zero weight, unless gzip itself is listed with q=0.
    static func acceptsGzip(_ values: [String]) -> Bool {
        var gzip: Bool?
        var star = false
        for value in values {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard let coding = parts.first, !coding.isEmpty else { continue }
                var weight = 1.0
                for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                    weight = Double(parameter.dropFirst(2)) ?? 0
                }
                if coding == "gzip" || coding == "x-gzip" { gzip = weight > 0 }
                if coding == "*" { star = weight > 0 }
            }
        }
        return gzip ?? star
    }

    /// TileJSON 3.0.0 of the vector tiles, with `vector_layers` (id, fields with types, zooms).
    func tileJSON(_ request: Request, _ context: Context) async throws -> Response {
        let maps = MapController(engine: engine, fallbackHost: fallbackHost)
        let map = try await maps.loadedMap(context)
        let plan = try await engine.vectorLayerPlan(map: map.name)
        var document = MapController.tileJSONDocument(map, tiles: maps.baseURL(request) + "/maps/\(map.name)/{z}/{x}/{y}.pbf")
        document[member: "format"] = "pbf"
        document[member: "vector_layers"] = plan.vectorLayers
        return MapController.json(document, cacheControl: "public, max-age=60", cors: true)
    }

    /// The style for MapLibre GL JS.
    func style(_ request: Request, _ context: Context) async throws -> Response {
        let maps = MapController(engine: engine, fallbackHost: fallbackHost)
        let map = try await maps.loadedMap(context)
        let plan = try await engine.vectorLayerPlan(map: map.name)
        guard let bytes = FileManager.default.contents(atPath: map.configuration.stylePath) else {
            throw EngineError(.mapUnavailable, "the map's style cannot be read now")
        }
        let style = try ClientStyle.rewrite(styleJSON: bytes, plan: plan,
                                            tileJSONURL: maps.baseURL(request) + "/maps/\(map.name)/vector.json",
                                            glyphsURL: maps.baseURL(request) + "/fonts/{fontstack}/{range}.pbf",
                                            attribution: map.attribution,
                                            sprites: SpriteController.clientSprites(map, baseURL: maps.baseURL(request)))
        return MapController.json(style, cacheControl: "no-cache", cors: true)
    }
}
