import CairnConfiguration
import CairnEngine
import HTTPTypes
import Hummingbird

/// CORS preflight (`OPTIONS` with `Access-Control-Request-Method`), answered for every path
/// (known or not) before any route runs. Browsers send preflights without credentials, so the
/// answer cannot depend on who asks: it allows the `Authorization` and `X-API-Key` headers for any
/// well-formed origin, and the real response then echoes the origin only when the credential
/// allows it. Never `Access-Control-Allow-Credentials`.
struct PreflightMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isPreflight(request) { return Self.response(request) }
        return try await next(request, context)
    }

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
