/// Who pays for a render: the HTTP layer sets `check` for the duration of a request, and the
/// engine calls it before starting a render the request asked for (a cache miss), so renders
/// can be budgeted apart from cache hits. Throwing refuses the render.
public enum RenderAdmission {
    @TaskLocal public static var check: (@Sendable () throws -> Void)?
}
