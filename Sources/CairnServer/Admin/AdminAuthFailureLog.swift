import Foundation
import Logging
import Synchronization

/// Logs refused admin authentications in summary, so a client hammering the admin API with
/// wrong tokens cannot flood the log (one line per refusal made 6,005 lines in 3 s): the first
/// refusal of a quiet period is logged at once; the ones after it are counted, and once per
/// `interval` one line says how many there were and from which addresses. Never logs a token.
public final class AdminAuthFailureLog: Sendable {
    private struct Window {
        var count = 0
        var addresses: [String] = []
        var flushScheduled = false
    }

    private let window = Mutex(Window())
    private let interval: Duration
    private let logger: Logger
    /// Addresses named in one summary line, at most.
    static let addressesListed = 10

    public init(logger: Logger, interval: Duration = .seconds(60)) {
        self.logger = logger
        self.interval = interval
    }

    func refused(from address: String) {
        let first: Bool = window.withLock { window in
            if window.flushScheduled {
                window.count += 1
                if !window.addresses.contains(address) { window.addresses.append(address) }
                return false
            }
            window.flushScheduled = true
            return true
        }
        guard first else { return }
        logger.warning("admin request from \(address) refused: wrong or malformed Authorization header (further refusals are summarized every \(Self.describe(interval)))")
        let (interval, log) = (interval, self)
        Task {
            try? await Task.sleep(for: interval)
            log.flush()
        }
    }

    static func describe(_ interval: Duration) -> String {
        let (seconds, attoseconds) = interval.components
        return attoseconds == 0 ? "\(seconds) s" : "\(Double(seconds) + Double(attoseconds) / 1e18) s"
    }

    /// Logs the summary of the window now ending (the timer calls it; tests too).
    func flush() {
        let ended = window.withLock { window in
            let ended = window
            window = Window()
            return ended
        }
        guard ended.count > 0 else { return }
        let listed = ended.addresses.prefix(Self.addressesListed).joined(separator: ", ")
        let more = ended.addresses.count > Self.addressesListed ? " and \(ended.addresses.count - Self.addressesListed) more" : ""
        logger.warning("\(ended.count) failed admin authentication(s) from \(listed)\(more) in the last \(Self.describe(interval))")
    }
}
