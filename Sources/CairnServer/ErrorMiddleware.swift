import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// The one place where errors become HTTP responses. Bodies are short JSON with no paths,
/// stack traces or request text echoed back; error responses are never stored by caches.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as EngineError {
            return Self.response(status(for: error.code), error.message, retryAfter: error.retryAfterSeconds ?? (error.code == .overloaded ? 2 : nil))
        } catch let error as HTTPError {
            return Self.response(error.status, error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)"])
            return Self.response(.internalServerError, "internal error")
        }
    }

    func status(for code: EngineError.Code) -> HTTPResponse.Status {
        switch code {
        case .badRequest: return .badRequest
        case .notFound: return .notFound
        case .overloaded, .mapUnavailable: return .serviceUnavailable
        case .rateLimited: return .tooManyRequests
        default: return .internalServerError
        }
    }

    static func response(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        let body = (try? JSONSerialization.data(withJSONObject: ["error": message], options: [.sortedKeys])) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let xCairnCache = HTTPField.Name("X-Cairn-Cache")!
}
