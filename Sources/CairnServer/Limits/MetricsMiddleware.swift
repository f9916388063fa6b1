import CairnEngine
import Hummingbird

/// Counts every response of the public listener by status class (outermost, so it sees the
/// status the client gets).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.countResponse(status: response.status.code)
            return response
        } catch let error as HTTPError {
            metrics.countResponse(status: error.status.code)
            throw error
        } catch {
            metrics.countResponse(status: 500)
            throw error
        }
    }
}
