import CairnEngine
import HTTPTypes
import Hummingbird

/// CORS preflight (`OPTIONS`) for every map-facing route. Browsers send preflights without
/// credentials, so the answer cannot depend on who asks: it allows the `Authorization` and
/// `X-API-Key` headers for any well-formed origin, and the real response then echoes the origin
/// only when the credential allows it. Never `Access-Control-Allow-Credentials`.
struct PreflightController<Context: RequestContext>: Sendable {
    func register(in router: Router<Context>) {
        for path in ["/", "/maps", "/maps/**", "/tms/**", "/wmts", "/wmts/**", "/ogcapi/**", "/embed/**"] {
            router.on(RouterPath(path), method: .options) { request, _ in Self.preflight(request) }
        }
    }

    static func preflight(_ request: Request) -> Response {
        var headers = HTTPFields()
        headers[.vary] = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
        headers[.cacheControl] = "no-store"
        if let origin = request.headers[.origin], WebOrigin.isValid(origin) {
            headers[.accessControlAllowOrigin] = origin
            headers[.accessControlAllowMethods] = "GET, HEAD, OPTIONS"
            headers[.accessControlAllowHeaders] = "Authorization, X-API-Key, If-None-Match"
            headers[.accessControlMaxAge] = "600"
        }
        return Response(status: .noContent, headers: headers)
    }
}
