/// Who pays for a render: the HTTP layer sets `check` for the duration of a request, and the
/// engine calls it before starting a render the request asked for (a cache miss), so renders
/// can be budgeted apart from cache hits. Throwing refuses the render.
public enum RenderAdmission {
    /// A class rather than a bare optional closure: a task-local of optional function type
    /// crashed in optimized builds (`swift_task_localValuePush`, Swift 6.3), a reference does not.
    @TaskLocal public static var check: RenderAdmissionCheck?
}

/// The admission test of one request.
public final class RenderAdmissionCheck: Sendable {
    private let body: @Sendable () throws -> Void

    public init(_ body: @escaping @Sendable () throws -> Void) {
        self.body = body
    }

    public func callAsFunction() throws {
        try body()
    }
}
