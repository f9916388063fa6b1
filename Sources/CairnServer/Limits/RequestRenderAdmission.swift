import CairnEngine

/// Interim carrier of the request's render admission from `RateLimitMiddleware` to the tile
/// controllers, which pass it to the engine explicitly; to be replaced by the request context.
/// A class behind the task-local: a task-local of function type crashed optimized builds.
final class RequestRenderAdmission: Sendable {
    @TaskLocal static var current: RequestRenderAdmission?

    let admission: RenderAdmission

    init(_ admission: RenderAdmission) {
        self.admission = admission
    }

    /// The admission of the request being handled; unlimited when no rate limit is configured.
    static var forCurrentRequest: RenderAdmission { current?.admission ?? .unlimited }
}
