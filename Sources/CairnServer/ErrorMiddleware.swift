import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// The one place where errors become HTTP responses (WMTS routes, which answer in OWS exception
/// reports, excepted). Bodies are short JSON with no paths, stack traces or request text echoed
/// back; error responses are never stored by caches; server failures are logged with their cause.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as EngineError {
            ServerErrorLog.record(error, status: error.httpStatus, request: request, logger: context.logger)
            return Self.response(error.httpStatus, error.message, retryAfter: error.retryAfter)
        } catch let error as HTTPError {
            ServerErrorLog.record(error, status: error.status, request: request, logger: context.logger)
            return Self.response(error.status, error.body ?? error.status.reasonPhrase)
        } catch {
            ServerErrorLog.record(error, status: .internalServerError, request: request, logger: context.logger)
            return Self.response(.internalServerError, "internal error")
        }
    }

    static func response(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        let body: JSONValue = ["error": JSONValue(message)]
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.text)))
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let xCairnCache = HTTPField.Name("X-Cairn-Cache")!
}
