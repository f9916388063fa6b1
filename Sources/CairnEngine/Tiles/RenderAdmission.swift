/// Who pays for a render: the HTTP layer builds one per request (from its client's render
/// budget) and passes it to the engine, which calls `admit()` only when the request would start
/// a render or encode, never for a cache hit or a request that joins work already in flight.
/// Throwing refuses the render. An explicit argument rather than a task-local, so every call
/// site shows who pays and background work (serve-stale refreshes, seeding) cannot inherit a
/// client's budget by accident.
public struct RenderAdmission: Sendable {
    private let check: @Sendable () throws -> Void

    public init(_ check: @escaping @Sendable () throws -> Void) {
        self.check = check
    }

    /// Admits every render: for seeding, tests and the engine's own refreshes (which the render
    /// queue's cap still limits).
    public static let unlimited = RenderAdmission {}

    public func admit() throws {
        try check()
    }
}
