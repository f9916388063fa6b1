/// Who pays for a render: the HTTP layer builds one per request and passes it to the engine, which
/// calls `admit()` before starting a render the request asked for (a cache miss), so renders can
/// be budgeted apart from cache hits. Throwing refuses the render.
public struct RenderAdmission: Sendable {
    private let check: @Sendable () throws -> Void

    public init(_ check: @escaping @Sendable () throws -> Void) {
        self.check = check
    }

    /// Admits every render: seeding, background refreshes, callers without a client budget.
    public static let unlimited = RenderAdmission {}

    public func admit() throws {
        try check()
    }
}
