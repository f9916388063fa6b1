import CairnConfiguration
import CairnAccess
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /embed/{map}`: a small page for iframes (`?center=lon,lat&zoom=z&marker=lon,lat`),
/// with its script and style served by `ViewerAssets` (`/assets/embed.js`, `.css`) so
/// the page's Content-Security-Policy needs no `unsafe-inline`. For an internal map opened
/// with a signed embed URL, the tile URLs carry a short-lived tile token derived from it.
struct EmbedController: Sendable {
    typealias Context = CairnRequestContext

    let engine: TileEngine
    let control: AccessControl

    func register(in routes: GuardedRouter) {
        routes.get("/embed/:map", access: .embed) { request, context in try await page(request, context) }
    }

    func page(_ request: Request, _ context: Context) async throws -> Response {
        let name = context.parameters.get("map") ?? ""
        guard MapConfiguration.isValidName(name), let configuration = control.maps[name] else {
            throw EngineError(.notFound, "no such map")
        }
        let map = try await engine.map(named: name)
        let access = context.access
        let grant = access.embed
        let query = request.uri.queryParameters
        // A signed URL fixes the view; otherwise it comes from the query, parsed as numbers only.
        let center = grant?.center ?? Self.pair(query.get("center")) ?? (map.center.longitude, map.center.latitude)
        let zoom = grant?.zoom ?? query.get("zoom").flatMap { TileAddress.number($0, maxDigits: 2) } ?? map.center.zoom
        let marker = grant != nil ? grant?.marker : Self.pair(query.get("marker"))
        var template = "/maps/\(name)/{z}/{x}/{y}{r}.png"
        var minZoom = map.configuration.minZoom
        var maxZoom = map.configuration.maxZoom
        var origins = configuration.embedOrigins
        var internalMap = false
        if configuration.access == .internal, let principal = access.principal {
            internalMap = true
            template += access.tileQuery(for: name)
            minZoom = max(minZoom, principal.minZoom ?? minZoom)
            maxZoom = min(maxZoom, principal.maxZoom ?? maxZoom)
            origins += principal.origins.filter(WebOrigin.isValid)
        }
        let html = EmbedPage.html(title: map.title, attribution: map.attribution, tileURLTemplate: template,
                                  center: center, zoom: zoom, minZoom: minZoom, maxZoom: maxZoom, marker: marker)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = internalMap ? "no-store" : "no-cache"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy(frameAncestors: origins)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// No inline code, nothing from elsewhere; framing only by the allowed origins (or this server).
    static func contentSecurityPolicy(frameAncestors origins: [String]) -> String {
        var seen: Set<String> = []
        let ancestors = origins.filter { WebOrigin.isValid($0) && seen.insert($0).inserted }
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors " + (["'self'"] + ancestors).joined(separator: " ")
    }

    /// `lon,lat` as two finite numbers within range, or nil.
    static func pair(_ text: String?) -> (Double, Double)? {
        guard let text, text.utf8.count <= 64 else { return nil }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let lon = Double(parts[0]), let lat = Double(parts[1]), lon.isFinite, lat.isFinite,
              abs(lon) <= 180, abs(lat) <= 90 else { return nil }
        return (lon, lat)
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
}
