import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation
import Hummingbird

/// `GET /maps/{map}/{z}/{x}/{y}[@2x].webp`: the PNG route's tiles encoded as WebP, cached in their
/// own file, with the same ETag/304, HEAD, CORS and access rules.
struct WebPTileController: Sendable {
    typealias Context = CairnRequestContext

    let engine: TileEngine

    static var contentType: String { "image/webp" }

    func register(in routes: GuardedRouter) {
        // More specific than the PNG route's `:file`, so `.webp` names come here; `y` keeps any `@2x`.
        routes.get("/maps/:map/:z/:x/{y}.webp", access: .map(.maps, tile: .xyzWebP)) { request, context in
            try await tile(request, context)
        }
    }

    func tile(_ request: Request, _ context: Context) async throws -> Response {
        let name = context.parameters.get("map") ?? ""
        guard MapConfiguration.isValidName(name) else { throw EngineError(.notFound, "no such map") }
        guard let address = TileAddress(z: context.parameters.get("z") ?? "", x: context.parameters.get("x") ?? "",
                                        file: (context.parameters.get("y") ?? "") + ".webp", fileExtension: "webp") else {
            throw EngineError(.badRequest, "malformed tile address; expected /maps/{map}/{z}/{x}/{y}.webp or {y}@2x.webp with plain decimal numbers")
        }
        let map = try await engine.map(named: name)
        let result = try await engine.webpTile(map: name, address.tile, scale: address.scale, admission: context.renderAdmission)
        return TileController.response(for: result, maxAgeSeconds: map.configuration.maxAgeSeconds, request: request,
                                       contentType: Self.contentType)
    }
}
