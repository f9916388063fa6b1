/// Runs the work for one key once while it is in flight: concurrent requests for tiles of
/// the same metatile wait for the same render and get the same bytes. The shared task is
/// not cancelled when one waiter goes away, so a disconnecting client cannot waste the
/// render the others wait for.
actor InflightRenders<Value: Sendable> {
    private var running: [String: Task<Value, any Error>] = [:]
    private(set) var started = 0

    /// The value of the work for `key`: joins the work in flight, or pays `admission` and starts it.
    /// Admission is decided here, in the same step as the lookup, so exactly the caller that
    /// starts the work pays for it.
    func value(for key: String, admission: RenderAdmission, work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let task = running[key] { return try await task.value }
        try admission.admit()
        started += 1
        let task = Task { try await work() }
        running[key] = task
        defer { running[key] = nil }
        return try await task.value
    }

    var count: Int { running.count }

    func isRunning(_ key: String) -> Bool { running[key] != nil }
}
