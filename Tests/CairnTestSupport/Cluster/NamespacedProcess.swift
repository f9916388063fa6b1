import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A long-running program (a server) started with posix_spawn in a process group of its own, so that
/// it and every child it forks (nginx's workers) can be signalled together, and reaped with waitpid.
public final class NamespacedProcess: @unchecked Sendable {
    // @unchecked: `pid` is set once; `exitStatus` is guarded by `lock`.
    public let pid: pid_t
    public let log: String
    private let lock = NSLock()
    private var exitStatus: Int32?

    init(pid: pid_t, log: String) {
        self.pid = pid
        self.log = log
    }

    static func spawn(_ argv: [String], log: String, environment: [String: String]) throws -> NamespacedProcess {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var cArguments = argv.map { strdup($0) }
        cArguments.append(nil)
        defer { for argument in cArguments { free(argument) } }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        var cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") }
        cEnvironment.append(nil)
        defer { for entry in cEnvironment { free(entry) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, &cEnvironment)
        guard spawned == 0 else { throw TestNetworkError("cannot run \(argv[0]): \(String(cString: strerror(spawned)))") }
        return NamespacedProcess(pid: pid, log: log)
    }

    /// Whether the program still runs (reaps it when it has ended).
    public var isRunning: Bool {
        lock.withLock {
            if exitStatus != nil { return false }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) {
                exitStatus = status
                return false
            }
            return true
        }
    }

    /// What the program printed so far.
    public var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Sends `signal` to the whole process group.
    public func signal(_ signal: Int32) {
        guard isRunning else { return }
        kill(-pid, signal)
    }

    /// SIGKILL to the group, as a crash or `kill -9` would end it, and waits for the end.
    public func kill9() {
        signal(SIGKILL)
        Wait.untilBlocking(timeout: .seconds(10), interval: .milliseconds(5)) { !isRunning }
    }

    /// SIGTERM, then SIGKILL if it has not ended after `grace`.
    public func stop(grace: Duration = .seconds(5)) {
        signal(SIGTERM)
        if !Wait.untilBlocking(timeout: grace, interval: .milliseconds(10), { !isRunning }) { kill9() }
    }
}
