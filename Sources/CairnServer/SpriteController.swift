import CairnConfiguration
import CairnEngine
import HTTPTypes
import Hummingbird

/// A map's sprite for MapLibre GL JS, the images its `style.json` names (`icon-image`, patterns):
/// `GET /maps/{map}/sprite.json|png` and `sprite@2x.json|png` (the style's first sprite), and for styles with
/// several, `GET /maps/{map}/sprites/{id}/sprite.json|png|@2x…`. Loaded from the style's sprite files or built
/// from its SVG folder; readable by whoever may read the map's style.
struct SpriteController: Sendable {
    typealias Context = CairnRequestContext

    let engine: TileEngine
    let fallbackHost: String

    func register(in routes: GuardedRouter) {
        for (file, ratio, json) in [("sprite.json", 1.0, true), ("sprite.png", 1.0, false), ("sprite@2x.json", 2.0, true), ("sprite@2x.png", 2.0, false)] {
            routes.get("/maps/:map/\(file)", access: .map(.maps)) { request, context in
                try await serve(context, id: nil, pixelRatio: ratio, json: json)
            }
            routes.get("/maps/:map/sprites/:sprite/\(file)", access: .map(.maps)) { request, context in
                try await serve(context, id: context.parameters.get("sprite") ?? "", pixelRatio: ratio, json: json)
            }
        }
    }

    /// The sprite entries for the client style: the first at `/maps/{map}/sprite`, as a plain string when it is
    /// the only one and is `default`.
    static func clientSprites(_ map: LoadedMap, baseURL: String) -> [(id: String, url: String)] {
        let entries = map.sprites.entries
        if entries.count == 1 && entries[0].id == "default" { return [("default", baseURL + "/maps/\(map.name)/sprite")] }
        return entries.map { ($0.id, baseURL + "/maps/\(map.name)/sprites/\($0.id)/sprite") }
    }

    func serve(_ context: Context, id: String?, pixelRatio: Double, json: Bool) async throws -> Response {
        let map = try await MapController(engine: engine, fallbackHost: fallbackHost).loadedMap(context)
        let entry = id.map { id in map.sprites.entries.first { $0.id == id } } ?? map.sprites.entries.first
        guard let entry else {
            throw EngineError(.notFound, id == nil ? "map \(map.name) has no sprite" : "map \(map.name) has no sprite with that id")
        }
        // A missing @2x falls back to the 1× sheet, which MapLibre then scales up.
        guard let sheet = entry.sheets.first(where: { $0.pixelRatio == pixelRatio }) ?? entry.sheets.first else {
            throw EngineError(.notFound, "map \(map.name) has no sprite sheet")
        }
        var headers = HTTPFields()
        headers[.contentType] = json ? "application/json; charset=utf-8" : "image/png"
        headers[.cacheControl] = "public, max-age=60"
        headers[.accessControlAllowOrigin] = "*"
        let bytes = json ? sheet.jsonBytes : sheet.pngBytes
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
