import Foundation

/// Interactive renders answer a waiting client; seeding renders fill the cache ahead of demand.
public enum RenderPriority: Sendable {
    case interactive
    case seeding

    /// Lowers the calling thread's scheduling priority. On Linux the nice value belongs to the
    /// thread, so this touches only the seeding pool's thread it runs on.
    static func lowerCurrentThread() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }
}
