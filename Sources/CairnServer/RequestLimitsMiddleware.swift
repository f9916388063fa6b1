import CairnEngine
import HTTPTypes
import Hummingbird

/// Refuses oversized request targets before any routing or map lookup, so long or
/// repeated query strings cannot multiply work or cache keys.
struct RequestLimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    static var maxPathBytes: Int { 1024 }
    static var maxQueryBytes: Int { 512 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.utf8.count > Self.maxPathBytes {
            throw HTTPError(.uriTooLong, message: "the request path is too long")
        }
        if request.uri.query.map({ $0.utf8.count > Self.maxQueryBytes }) ?? false {
            throw HTTPError(.uriTooLong, message: "the query string is too long")
        }
        return try await next(request, context)
    }
}
