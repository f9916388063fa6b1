import CairnConfiguration
import CairnAccess
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// The one authorization step for every map-facing route, applying the access class the route
/// was registered with (`GuardedRouter`) to its resolved parameters. It runs before rate limiting
/// and the controller, so a refused request never reads the cache or starts a render (and the
/// render coalescing key stays the tile's identity alone). Unknown and forbidden maps get the very
/// same response. Responses about internal maps become `private` with `max-age` capped by the
/// credential's remaining lifetime, `Vary: Authorization, X-API-Key, Origin`, and CORS only for
/// origins the credential allows.
struct AccessGuard: Sendable {
    typealias Context = CairnRequestContext
    typealias Next = @Sendable (Request, Context) async throws -> Response

    let control: AccessControl

    static var varyCredentials: String { "Authorization, X-API-Key, Origin" }

    func handle(_ request: Request, context: Context, access: RouteAccess, next: Next) async throws -> Response {
        let started = ContinuousClock.now
        switch access {
        case .open:
            return try await next(request, context)
        case .listing(let family):
            return try await listing(request, context, family: family, next)
        case .map(let family, let tileParameters):
            let name = context.parameters.get("map") ?? ""
            if control.access(of: name) == .public { return try await next(request, context) }
            return try await guarded(request, context, next, family: family, map: name, tileShaped: tileParameters != nil,
                                     tile: tileParameters?.tile(in: context.parameters), embed: nil, started: started)
        case .embed:
            let name = context.parameters.get("map") ?? ""
            if control.access(of: name) == .public { return try await next(request, context) }
            var grant: EmbedGrant?
            if request.uri.queryParameters.get("sig") != nil {
                guard control.access(of: name) == .internal, let signer = control.verifier.signer else {
                    audit(request, map: name, principal: "invalid-signature", tile: nil, status: 404, started: started)
                    return Self.notFound(.maps)
                }
                do {
                    grant = try signer.verifyEmbed(map: name, rawQuery: request.uri.query)
                } catch {
                    // A correctly signed URL refused for its content (too long a lifetime) is told why.
                    if let reason = error.clientReason {
                        audit(request, map: name, principal: "invalid-embed", tile: nil, status: 401, started: started)
                        return Self.unauthorized(.maps, reason: reason)
                    }
                    audit(request, map: name, principal: "invalid-signature", tile: nil, status: 404, started: started)
                    return Self.notFound(.maps)
                }
            }
            return try await guarded(request, context, next, family: .maps, map: name, tileShaped: false, tile: nil,
                                     embed: grant, started: started)
        case .wmtsKeyValue:
            let parameters = Dictionary(request.uri.queryParameters.map { (String($0.key).uppercased(), String($0.value)) },
                                        uniquingKeysWith: { first, _ in first })
            guard parameters["REQUEST"] == "GetTile" else { return try await listing(request, context, family: .wmts, next) }
            let name = parameters["LAYER"] ?? ""
            if control.access(of: name) == .public { return try await next(request, context) }
            var tile: GridTile?
            if let z = TileAddress.number(parameters["TILEMATRIX"] ?? "", maxDigits: 2),
               let row = TileAddress.number(parameters["TILEROW"] ?? "", maxDigits: 9),
               let column = TileAddress.number(parameters["TILECOL"] ?? "", maxDigits: 9) {
                tile = GridTile(grid: parameters["TILEMATRIXSET"] ?? "", z: z, x: column, y: row)
            }
            return try await guarded(request, context, next, family: .wmts, map: name, tileShaped: true, tile: tile,
                                     embed: nil, started: started)
        }
    }

    /// A document listing maps: anyone may ask, and it shows what the (optional) credential may see.
    func listing(_ request: Request, _ context: Context, family: RouteAccess.Family, _ next: Next) async throws -> Response {
        let principal: Principal?
        do { principal = try await authenticate(request) } catch { return Self.unauthorized(family, reason: (error as? AccessError)?.clientReason) }
        var context = context
        context.access = RequestAccess(principal: principal, control: control)
        var response = try await next(request, context)
        decorate(&response, principal: principal, request: request, privateDocument: principal != nil)
        return response
    }

    /// An internal or unknown map: needs a credential that names it (and covers the tile).
    func guarded(_ request: Request, _ context: Context, _ next: Next, family: RouteAccess.Family, map name: String,
                 tileShaped: Bool, tile: GridTile?, embed: EmbedGrant?, started: ContinuousClock.Instant) async throws -> Response {
        let principal: Principal
        if let embed {
            principal = embed.principal
        } else {
            let found: Principal?
            do {
                found = try await authenticate(request)
            } catch {
                audit(request, map: name, principal: "invalid-credential", tile: tile, status: 401, started: started)
                return Self.unauthorized(family, reason: (error as? AccessError)?.clientReason)
            }
            guard let found else {
                audit(request, map: name, principal: "anonymous", tile: tile, status: 404, started: started)
                return Self.notFound(family)
            }
            principal = found
        }
        guard control.access(of: name) == .internal, principal.allows(map: name),
              tileAllowed(principal, tileShaped: tileShaped, map: name, tile: tile) else {
            audit(request, map: name, principal: principal.label, tile: tile, status: 404, started: started)
            return Self.notFound(family)
        }
        var context = context
        context.access = RequestAccess(principal: principal, embed: embed, signer: control.verifier.signer)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let status = (error as? EngineError).map { $0.httpStatus.code } ?? 500
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
    func tileAllowed(_ principal: Principal, tileShaped: Bool, map name: String, tile: GridTile?) -> Bool {
        guard principal.isScoped, tileShaped else { return true }
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
    static func notFound(_ family: RouteAccess.Family) -> Response {
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

    /// - Parameter reason: `AccessError.clientReason`, told instead of the usual words when set.
    static func unauthorized(_ family: RouteAccess.Family, reason: String? = nil) -> Response {
        var response: Response
        let message = reason ?? "invalid or expired credential"
        switch family {
        case .maps, .ogc: response = ErrorMiddleware<Context>.response(.unauthorized, message)
        case .wmts: response = WMTSException(.noApplicableCode, locator: nil, message, status: .unauthorized).response
        }
        response.headers[.cacheControl] = "no-store"
        response.headers[.vary] = varyCredentials
        response.headers[.wwwAuthenticate] = #"Bearer realm="cairn", error="invalid_token""#
        return response
    }

    func audit(_ request: Request, map: String, principal: String, tile: GridTile?, status: Int, started: ContinuousClock.Instant) {
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
