import CairnEngine
import HTTPTypes
import Hummingbird

/// CORS preflight (`OPTIONS` with `Access-Control-Request-Method`), answered by the access
/// middleware for every path. Browsers send preflights without credentials, so the answer
/// cannot depend on who asks: it allows the `Authorization` and `X-API-Key` headers for any
/// well-formed origin, and the real response then echoes the origin only when the credential
/// allows it. Never `Access-Control-Allow-Credentials`.
enum Preflight {
    static func isPreflight(_ request: Request) -> Bool {
        request.method == .options && request.headers[.accessControlRequestMethod] != nil
    }

    static func response(_ request: Request) -> Response {
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
