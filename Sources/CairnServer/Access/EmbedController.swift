import CairnAccess
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /embed/{map}`: a small page for iframes (`?center=lon,lat&zoom=z&marker=lon,lat`),
/// with its script and style served as separate resources (`/assets/embed.js`, `.css`) so
/// the page's Content-Security-Policy needs no `unsafe-inline`. For an internal map opened
/// with a signed embed URL, the tile URLs carry a short-lived tile token derived from it.
struct EmbedController<Context: RequestContext>: Sendable {
    let engine: TileEngine
    let control: AccessControl

    func register(in router: Router<Context>) {
        router.get("/embed/:map") { request, context in try await page(request, context) }
        router.get("/assets/embed.js") { _, _ in Self.asset(EmbedPage.script, type: "text/javascript; charset=utf-8") }
        router.get("/assets/embed.css") { _, _ in Self.asset(EmbedPage.style, type: "text/css; charset=utf-8") }
    }

    func page(_ request: Request, _ context: Context) async throws -> Response {
        let name = context.parameters.get("map") ?? ""
        guard MapConfiguration.isValidName(name), let configuration = control.maps[name] else {
            throw EngineError(.notFound, "no such map")
        }
        let map = try await engine.map(named: name)
        let access = RequestAccess.current
        let grant = access?.embed
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
        if configuration.access == .internal, let principal = access?.principal {
            internalMap = true
            template += RequestAccess.tileQuery(for: map)
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

    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
}
