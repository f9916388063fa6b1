import Synchronization

/// Hands a running job's progress to the `JobManager`. Reports may come from any task and
/// are read by status requests while the job runs, so the latest one is kept behind a lock
/// instead of hopping onto the manager's actor for every metatile.
public struct JobReporter: Sendable {
    let box: ProgressBox

    /// Replaces the job's progress with `progress`.
    public func report(_ progress: JobProgress) {
        box.value.withLock { $0 = progress }
    }

    var latest: JobProgress { box.value.withLock { $0 } }
}

final class ProgressBox: Sendable {
    let value = Mutex(JobProgress())
}

/// A job failure whose message is safe to show to a client.
public struct JobFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
