import Logging
import Synchronization

/// Logs a cache file's write failures at most once per `interval`, each line with the count of
/// failures since the one before: a full disk fails every metatile, and a log line per metatile
/// would bury the one thing the operator needs to read (and fill the log's disk too).
final class WriteFailureLog: Sendable {
    static let interval: Duration = .seconds(30)

    private struct State {
        var lastLog: ContinuousClock.Instant?
        var suppressed = 0
        var failing = false
    }
    private let state = Mutex(State())

    /// Counts `failure` and logs it unless this file's last line is more recent than `interval`.
    func record(_ failure: CacheWriteError, _ what: String, metadata: Logger.Metadata, logger: Logger) {
        let now = ContinuousClock.now
        let suppressed = state.withLock { state -> Int? in
            state.failing = true
            if let last = state.lastLog, now - last < Self.interval {
                state.suppressed += 1
                return nil
            }
            defer { state.lastLog = now; state.suppressed = 0 }
            return state.suppressed
        }
        guard let suppressed else { return }
        var metadata = metadata
        metadata["file"] = "\(failure.path)"
        metadata["error"] = "\(failure.message)"
        metadata["failures_since_last_report"] = "\(suppressed)"
        if let space = failure.space { metadata["free"] = "\(space)" }
        let message: Logger.Message = failure.code == .noSpace
            ? "\(what): the tile cache's disk is full; no more tiles are cached (requests are answered uncached) until space is freed (logged once per \(Self.interval) per file)"
            : "\(what) (logged once per \(Self.interval) per file)"
        logger.error(message, metadata: metadata)
    }

    /// A write succeeded: says so once when writes had been failing.
    func recordSuccess(path: String, logger: Logger) {
        let recovered = state.withLock { state -> Bool in
            defer { state.failing = false }
            return state.failing
        }
        if recovered { logger.notice("tile cache writes succeed again", metadata: ["file": "\(path)"]) }
    }
}
