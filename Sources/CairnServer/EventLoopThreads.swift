import Foundation
import NIOCore

/// How many event loops the server runs. NIO sizes its shared group by the machine's cores (or a
/// cgroup quota), not by the CPUs the process may run on: `taskset -c 0` on a two-core machine got
/// two loops taking turns on one core, each waking for its half of the connections. One loop per
/// allowed CPU instead; `NIO_SINGLETON_GROUP_LOOP_COUNT` still decides when set.
public enum EventLoopThreads {
    /// Call before anything uses NIO's shared event loop group (first thing in `serve`).
    public static func matchCPUAffinity() {
        guard ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil,
              let allowed = allowedCPUs(), allowed < System.coreCount else { return }
        NIOSingletons.groupLoopCountSuggestion = allowed
    }

    /// The CPUs this process may run on (`Cpus_allowed` in /proc/self/status), if Linux says.
    static func allowedCPUs() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        var count = 0
        for character in line.dropFirst("Cpus_allowed:".count) {
            guard let digit = character.hexDigitValue else { continue }
            count += digit.nonzeroBitCount
        }
        return count > 0 ? count : nil
    }
}
