/// How waiting for a read replica to replay an edit ended (`PostGISDatabase.waitForReplay`).
public enum ReplayWait: Sendable, Equatable {
    /// The server replayed (or, a primary, holds) the position; `waited` is how long that took.
    case caughtUp(waited: Duration)
    /// Still behind when the wait ran out: `replayed` is where it stood (nil when it did not answer).
    case timedOut(replayed: WALPosition?)
}
