import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hosts of a test of their own: one network namespace per host, each with loopback up and an `eth0`
/// (a veth pair) on a bridge that lives in a further namespace the test creates, addresses
/// `10.231.0.N/24` only inside those namespaces. Nothing is added to the root namespace, so tests
/// running at once cannot collide and the machine's own network is never touched.
///
/// `shutdown()` stops every process started in the hosts (their process groups) and deletes the
/// namespaces; it runs from `deinit` too. Namespaces left by a test run that died (killed before its
/// teardown) are deleted by the next `TestNetwork` made on the machine: their names carry the pid of
/// the process that made them.
public final class TestNetwork: @unchecked Sendable {
    // @unchecked: `hosts` is set in `init`; `processes` is guarded by `lock`.
    public static let subnet = "10.231.0.0/24"
    static let prefix = "cairn-net-"
    static let ip = "/usr/sbin/ip"

    /// A host: its namespace and its address on the bridge.
    public struct Host: Sendable, CustomStringConvertible {
        public let name: String
        public let namespace: String
        public let address: String
        public var description: String { "\(name) (\(address), netns \(namespace))" }
    }

    public let hosts: [String: Host]
    let bridgeNamespace: String
    private let lock = NSLock()
    private var processes: [NamespacedProcess] = []
    private var isShutDown = false

    /// Why namespaces cannot be made here (not root, no `ip`), or nil.
    public static var unavailableReason: String? {
        if getuid() != 0 { return "network namespaces need root (ip netns add); CI runs the interop tier as root" }
        if !FileManager.default.isExecutableFile(atPath: ip) { return "\(ip) is missing (iproute2): run scripts/install-deps" }
        return nil
    }

    /// Makes one namespace per name in `hostNames`, addressed `10.231.0.(10 + index)` in that order.
    public init(hostNames: [String]) throws {
        if let reason = Self.unavailableReason { throw TestNetworkError(reason) }
        Self.removeLeftovers()
        let run = Self.prefix + "\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))-"
        bridgeNamespace = run + "bridge"
        var made: [String: Host] = [:]
        for (index, name) in hostNames.enumerated() {
            made[name] = Host(name: name, namespace: run + name, address: "10.231.0.\(10 + index)")
        }
        hosts = made
        do {
            try Self.ip(["netns", "add", bridgeNamespace])
            try Self.ip(["-n", bridgeNamespace, "link", "set", "lo", "up"])
            try Self.ip(["-n", bridgeNamespace, "link", "add", "br0", "type", "bridge"])
            try Self.ip(["-n", bridgeNamespace, "link", "set", "br0", "up"])
            for (index, name) in hostNames.enumerated() {
                let host = made[name]!
                let port = "veth\(index)"
                try Self.ip(["netns", "add", host.namespace])
                try Self.ip(["-n", host.namespace, "link", "set", "lo", "up"])
                try Self.ip(["-n", bridgeNamespace, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host.namespace])
                try Self.ip(["-n", bridgeNamespace, "link", "set", port, "master", "br0"])
                try Self.ip(["-n", bridgeNamespace, "link", "set", port, "up"])
                try Self.ip(["-n", host.namespace, "addr", "add", host.address + "/24", "dev", "eth0"])
                try Self.ip(["-n", host.namespace, "link", "set", "eth0", "up"])
            }
        } catch {
            shutdown()
            throw error
        }
    }

    deinit { shutdown() }

    public subscript(name: String) -> Host { hosts[name]! }

    /// Starts `arguments` inside `host`'s namespace (`ip netns exec`, which execs the program, so the
    /// pid is the program's), in a process group of its own, output to `log`.
    public func start(_ arguments: [String], on host: String, log: String, environment: [String: String] = [:]) throws -> NamespacedProcess {
        let process = try NamespacedProcess.spawn([Self.ip, "netns", "exec", self[host].namespace] + arguments, log: log, environment: environment)
        lock.withLock { processes.append(process) }
        return process
    }

    /// Runs a program inside `host`'s namespace to its end; its standard output.
    @discardableResult
    public func run(_ arguments: [String], on host: String) throws -> String {
        try ExternalProgram.run(Self.ip, ["netns", "exec", self[host].namespace] + arguments)
    }

    /// Stops every process started here (SIGTERM, then SIGKILL after 5 s) and deletes the namespaces.
    public func shutdown() {
        let running: [NamespacedProcess] = lock.withLock {
            if isShutDown { return [] }
            isShutDown = true
            return processes
        }
        guard !hosts.isEmpty || !running.isEmpty else { return }
        for process in running { process.stop() }
        for host in hosts.values { Self.deleteNamespace(host.namespace) }
        Self.deleteNamespace(bridgeNamespace)
    }

    /// Kills whatever still runs in the namespace (a daemon such as PostgreSQL's postmaster) and deletes it.
    static func deleteNamespace(_ name: String) {
        guard FileManager.default.fileExists(atPath: "/run/netns/" + name) else { return }
        if let pids = try? ExternalProgram.run(ip, ["netns", "pids", name]) {
            for pid in pids.split(whereSeparator: \.isNewline).compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
        }
        _ = try? ExternalProgram.run(ip, ["netns", "del", name])
    }

    /// Namespaces of earlier runs whose process is gone.
    static func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        for name in names where name.hasPrefix(prefix) {
            let owner = name.dropFirst(prefix.count).split(separator: "-").first.flatMap { Int32($0) }
            if let owner, kill(owner, 0) != 0 && errno == ESRCH { deleteNamespace(name) }
        }
    }

    static func ip(_ arguments: [String]) throws {
        try ExternalProgram.run(ip, arguments)
    }
}

public struct TestNetworkError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
