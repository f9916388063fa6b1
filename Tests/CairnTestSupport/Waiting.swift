import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Waiting on conditions instead of sleeping for a fixed time: the condition is polled every
/// `interval` until it holds or `timeout` passes. A test that waits for something returns as soon as
/// it happens, and a slow machine only makes it slower, not wrong.
public enum Wait {
    /// Polls `condition` until it is true (returns true) or `timeout` passes (returns false).
    @discardableResult
    public static func until(timeout: Duration = .seconds(30), interval: Duration = .milliseconds(10),
                             _ condition: () async throws -> Bool) async rethrows -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await condition() { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: interval)
        }
    }

    /// The blocking form, for synchronous tests and threads (never call it on the cooperative pool
    /// while an in-process server needs those threads).
    @discardableResult
    public static func untilBlocking(timeout: Duration = .seconds(30), interval: Duration = .milliseconds(5),
                                     _ condition: () throws -> Bool) rethrows -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try condition() { return true }
            if ContinuousClock.now >= deadline { return false }
            let (seconds, attoseconds) = interval.components
            Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
        }
    }

    /// Waits until the wall clock has moved into a later second than `start` (for code that stores
    /// whole-second timestamps, such as file modification times or `expires` columns).
    public static func untilNextSecond(after start: Date = Date()) async {
        let second = start.timeIntervalSince1970.rounded(.down)
        await until(timeout: .seconds(5), interval: .milliseconds(20)) { Date().timeIntervalSince1970.rounded(.down) > second }
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    public static func portAccepts(_ port: Int) -> Bool {
        #if canImport(Glibc)
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let handle = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard handle >= 0 else { return false }
        defer { close(handle) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
