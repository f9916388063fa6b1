import CairnAccess
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// The one authorization step for every map-facing route. It runs before any controller, so
/// a refused request never reads the cache or starts a render (and the render coalescing key
/// stays the tile's identity alone). Unknown and forbidden maps get the very same response.
/// Responses about internal maps become `private` with `max-age` capped by the credential's
/// remaining lifetime, `Vary: Authorization, X-API-Key, Origin`, and CORS only for origins the
/// credential allows.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let control: AccessControl

    static var varyCredentials: String { "Authorization, X-API-Key, Origin" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Preflight.isPreflight(request) { return Preflight.response(request) }
        let started = ContinuousClock.now
        let route = AccessRoute.classify(path: request.uri.path) {
            request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        }
        switch route.kind {
        case .other:
            return try await next(request, context)
        case .listing:
            let principal: Principal?
            do { principal = try await authenticate(request) } catch { return Self.unauthorized(route.family) }
            var response = try await RequestAccess.$current.withValue(RequestAccess(principal: principal, control: control)) {
                try await next(request, context)
            }
            decorate(&response, principal: principal, request: request, privateDocument: principal != nil)
            return response
        case .map(let name, let tile):
            if control.access(of: name) == .public { return try await next(request, context) }
            return try await guarded(request, context, next, route: route, map: name, tile: tile, embed: nil, started: started)
        case .embed(let name):
            if control.access(of: name) == .public {
                return try await RequestAccess.$current.withValue(RequestAccess()) { try await next(request, context) }
            }
            var grant: EmbedGrant?
            if request.uri.queryParameters.get("sig") != nil {
                guard control.access(of: name) == .internal, let signer = control.verifier.signer,
                      let verified = try? signer.verifyEmbed(map: name, rawQuery: request.uri.query) else {
                    audit(request, map: name, principal: "invalid-signature", tile: nil, status: 404, started: started)
                    return Self.notFound(route.family)
                }
                grant = verified
            }
            return try await guarded(request, context, next, route: route, map: name, tile: nil, embed: grant, started: started)
        }
    }

    /// An internal or unknown map: needs a credential that names it (and covers the tile).
    func guarded(_ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response,
                 route: AccessRoute, map name: String, tile: AccessRoute.GridTile?, embed: EmbedGrant?,
                 started: ContinuousClock.Instant) async throws -> Response {
        let principal: Principal
        if let embed {
            principal = embed.principal
        } else {
            let found: Principal?
            do {
                found = try await authenticate(request)
            } catch {
                audit(request, map: name, principal: "invalid-credential", tile: tile, status: 401, started: started)
                return Self.unauthorized(route.family)
            }
            guard let found else {
                audit(request, map: name, principal: "anonymous", tile: tile, status: 404, started: started)
                return Self.notFound(route.family)
            }
            principal = found
        }
        guard control.access(of: name) == .internal, principal.allows(map: name),
              tileAllowed(principal, route: route, map: name, tile: tile) else {
            audit(request, map: name, principal: principal.label, tile: tile, status: 404, started: started)
            return Self.notFound(route.family)
        }
        var response: Response
        do {
            response = try await RequestAccess.$current.withValue(RequestAccess(principal: principal, embed: embed, signer: control.verifier.signer)) {
                try await next(request, context)
            }
        } catch {
            let status = (error as? EngineError).map { ErrorMiddleware<Context>().status(for: $0.code).code } ?? 500
            audit(request, map: name, principal: principal.label, tile: tile, status: status, started: started)
            throw error
        }
        decorate(&response, principal: principal, request: request, privateDocument: true)
        audit(request, map: name, principal: principal.label, tile: tile, status: response.status.code, started: started)
        return response
    }

    /// The presented credential's principal; nil when none was presented.
    /// - Throws: `AccessError` for a credential that fails verification.
    func authenticate(_ request: Request) async throws -> Principal? {
        let parameters = request.uri.queryParameters
        guard let credential = PresentedCredential.find(
            authorization: request.headers[.authorization],
            apiKeyHeader: request.headers[.xAPIKey],
            keyParameter: parameters.get("key"),
            tokenParameter: parameters.get("token")
        ) else { return nil }
        return try await control.verifier.verify(credential)
    }

    /// Area and zoom limits: tiles outside are refused (never rendered masked). Tiles in grids
    /// other than Web Mercator and CRS84 cannot be checked, so a limited credential gets none.
    func tileAllowed(_ principal: Principal, route: AccessRoute, map name: String, tile: AccessRoute.GridTile?) -> Bool {
        guard principal.isScoped, route.tileShaped else { return true }
        guard var tile else { return false }
        let grid = tile.grid ?? control.maps[name]?.grids.first ?? TileGrid.webMercator.identifier
        switch grid {
        case TileGrid.webMercator.identifier:
            guard tile.z <= 30 else { return false }
            if tile.flipped { tile.y = (1 << tile.z) - 1 - tile.y }
            return principal.allows(webMercatorTile: TileCoordinate(z: tile.z, x: tile.x, y: tile.y))
        case TileGrid.worldCRS84Quad.identifier:
            let crs84 = TileGrid.worldCRS84Quad
            guard tile.z <= crs84.maxZoom else { return false }
            if tile.flipped { tile.y = crs84.matrixSize(at: tile.z).rows - 1 - tile.y }
            let coordinate = TileCoordinate(z: tile.z, x: tile.x, y: tile.y)
            guard crs84.contains(coordinate) else { return false }
            return principal.allows(geographicTileBounds: crs84.bounds(of: coordinate))
        default:
            return false
        }
    }

    /// Makes a response about an internal map (or a listing seen with a credential) safe for caches.
    func decorate(_ response: inout Response, principal: Principal?, request: Request, privateDocument: Bool) {
        response.headers[.vary] = Self.mergedVary(response.headers[.vary])
        guard privateDocument else { return }
        let cacheControl = response.headers[.cacheControl] ?? "no-store"
        if !cacheControl.contains("no-store") {
            let maxAge = Self.maxAge(in: cacheControl)
            if cacheControl.contains("no-cache") || maxAge == nil {
                response.headers[.cacheControl] = "private, no-cache"
            } else {
                let remaining = principal?.remainingSeconds() ?? maxAge!
                response.headers[.cacheControl] = "private, max-age=\(min(maxAge!, remaining))"
            }
        }
        response.headers[.accessControlAllowOrigin] = nil
        if let origin = request.headers[.origin], let principal, principal.allows(origin: origin) {
            response.headers[.accessControlAllowOrigin] = origin
        }
    }

    static func maxAge(in cacheControl: String) -> Int? {
        for directive in cacheControl.split(separator: ",") {
            let trimmed = directive.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("max-age="), let value = Int(trimmed.dropFirst(8)) { return value }
        }
        return nil
    }

    static func mergedVary(_ existing: String?) -> String {
        guard let existing, !existing.isEmpty else { return varyCredentials }
        var names = existing.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for name in varyCredentials.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !names.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
            names.append(name)
        }
        return names.joined(separator: ", ")
    }

    /// The answer for unknown and forbidden maps alike, in each route family's own format.
    static func notFound(_ family: AccessRoute.Family) -> Response {
        var response: Response
        switch family {
        case .maps: response = ErrorMiddleware<Context>.response(.notFound, "no such map")
        case .ogc: response = ErrorMiddleware<Context>.response(.notFound, "no such collection")
        case .wmts: response = WMTSException.invalid("Layer", "no such layer").response
        }
        response.headers[.cacheControl] = "no-store"
        response.headers[.vary] = varyCredentials
        return response
    }

    static func unauthorized(_ family: AccessRoute.Family) -> Response {
        var response: Response
        switch family {
        case .maps, .ogc: response = ErrorMiddleware<Context>.response(.unauthorized, "invalid or expired credential")
        case .wmts: response = WMTSException(.noApplicableCode, locator: nil, "invalid or expired credential", status: .unauthorized).response
        }
        response.headers[.cacheControl] = "no-store"
        response.headers[.vary] = varyCredentials
        response.headers[.wwwAuthenticate] = #"Bearer realm="cairn", error="invalid_token""#
        return response
    }

    func audit(_ request: Request, map: String, principal: String, tile: AccessRoute.GridTile?, status: Int, started: ContinuousClock.Instant) {
        guard let log = control.audit else { return }
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let safeMap = MapConfiguration.isValidName(map) ? map : "(invalid)"
        log.write(AuditLog.Entry(time: Date(), principal: principal, map: safeMap, tile: tile?.text,
                                 path: String(request.uri.description.prefix(512)), status: status, ms: ms))
    }
}

extension HTTPField.Name {
    static let xAPIKey = HTTPField.Name("X-API-Key")!
}
