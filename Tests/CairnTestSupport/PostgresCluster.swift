import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL + PostGIS server of the test's own: `initdb` into a temporary folder, started on
/// 127.0.0.1 at a free port, stopped and removed by `shutdown()`. Debian's `postgresql` and
/// `postgresql-*-postgis-3` packages (installed by `scripts/install-deps`) provide the binaries. As root
/// the server runs as the `postgres` user the package creates (PostgreSQL refuses to run as root).
///
/// Authentication: the superuser `postgres` is trusted (from the Unix socket and 127.0.0.1); every other
/// role needs its password (scram-sha-256) over TCP, so wrong-password cases are real.
public final class PostgresCluster: @unchecked Sendable {
    // @unchecked: every property is set once in `init`; the server process is driven through pg_ctl.
    public let host: String
    public let port: Int
    /// The network namespace the server runs in (a `TestNetwork` host's), or nil for the machine's own.
    public let namespace: String?
    /// The cluster's data folder (owned by the server's user).
    public let dataDirectory: String
    /// The folder holding the Unix socket (psql connects through it).
    public let socketDirectory: String
    let root: String
    let binDirectory: String
    let runAs: String?
    /// A network (CIDR) whose hosts may log in besides 127.0.0.1, or nil.
    let clients: String?

    /// Why the cluster cannot start here (PostgreSQL or PostGIS not installed), or nil.
    public static var unavailableReason: String? {
        guard let bin = binDirectory() else {
            return "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); scripts/install-deps installs it"
        }
        let version = URL(fileURLWithPath: bin).deletingLastPathComponent().lastPathComponent
        let extensions = "/usr/share/postgresql/\(version)/extension"
        let hasPostGIS = (try? FileManager.default.contentsOfDirectory(atPath: extensions))?.contains { $0.hasPrefix("postgis--") && $0.hasSuffix(".sql") } ?? false
        return hasPostGIS ? nil : "PostGIS is not installed for PostgreSQL \(version) (postgresql-\(version)-postgis-3); scripts/install-deps installs it"
    }

    /// The newest installed PostgreSQL's `bin` folder.
    static func binDirectory() -> String? {
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        return versions.map { "\(base)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    /// Creates and starts a new cluster. Throws with the server's own log when it does not start.
    /// - Parameters:
    ///   - host: the address it listens on (127.0.0.1, or a namespace's own address).
    ///   - namespace: runs the server inside this network namespace (`ip netns exec`); psql still reaches
    ///     it through its Unix socket, which is a file, not a network address.
    ///   - clients: a network (CIDR) whose hosts may log in with a password, besides 127.0.0.1.
    public init(host: String = "127.0.0.1", namespace: String? = nil, clients: String? = nil) throws {
        if let reason = Self.unavailableReason { throw PostgresClusterError(reason) }
        self.host = host
        self.namespace = namespace
        self.clients = clients
        binDirectory = Self.binDirectory()!
        runAs = getuid() == 0 ? "postgres" : nil
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-pg-\(UUID().uuidString.prefix(8))").path
        dataDirectory = root + "/data"
        socketDirectory = root + "/socket"
        try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        if let runAs { try Self.run("/bin/chown", ["-R", runAs, root]) }
        try Self.run(binDirectory + "/initdb", ["-D", dataDirectory, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
                                               "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], as: runAs)
        try Self.writeAsOwner(Self.hostAuthentication(rejecting: [], clients: clients), to: dataDirectory + "/pg_hba.conf", owner: runAs)
        var lastError: (any Error)?
        for _ in 0..<5 {
            let candidate = Int.random(in: 20_000...60_000)
            do {
                try Self.writeAsOwner("""
                    listen_addresses = '\(host)'
                    port = \(candidate)
                    unix_socket_directories = '\(socketDirectory)'
                    fsync = off
                    synchronous_commit = off
                    full_page_writes = off
                    max_connections = 200
                    log_min_messages = warning

                    """, to: dataDirectory + "/postgresql.auto.conf", owner: runAs)
                try Self.run(binDirectory + "/pg_ctl", ["-D", dataDirectory, "-l", root + "/server.log", "-w", "-t", "60", "start"], as: runAs, in: namespace)
                port = candidate
                return
            } catch {
                lastError = error
            }
        }
        let log = (try? String(contentsOfFile: root + "/server.log", encoding: .utf8)) ?? ""
        throw PostgresClusterError("PostgreSQL did not start in \(root): \(lastError.map { "\($0)" } ?? "")\n\(log.suffix(2000))")
    }

    /// A hot standby (read replica) of `primary` through streaming replication: `pg_basebackup -R`
    /// into a folder of its own, started on another free port. Roles, databases and rows are the
    /// primary's, replayed as they commit there, `applyDelay` later (`recovery_min_apply_delay`,
    /// e.g. "2s") when given. Read-only: `psql` on it runs queries, never writes.
    public init(standbyOf primary: PostgresCluster, applyDelay: String? = nil) throws {
        host = "127.0.0.1"
        namespace = nil
        clients = nil
        binDirectory = primary.binDirectory
        runAs = primary.runAs
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-pg-standby-\(UUID().uuidString.prefix(8))").path
        dataDirectory = root + "/data"
        socketDirectory = root + "/socket"
        try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        if let runAs { try Self.run("/bin/chown", ["-R", runAs, root]) }
        try Self.run(binDirectory + "/pg_basebackup", ["-h", primary.host, "-p", "\(primary.port)", "-U", "postgres", "-D", dataDirectory,
                                                      "-R", "-X", "stream", "-c", "fast"], as: runAs)
        // pg_basebackup -R appended primary_conninfo to the primary's settings it copied: keep it, replace the rest.
        let copied = (try? String(contentsOfFile: dataDirectory + "/postgresql.auto.conf", encoding: .utf8)) ?? ""
        guard let conninfo = copied.split(separator: "\n").last(where: { $0.hasPrefix("primary_conninfo") }) else {
            throw PostgresClusterError("pg_basebackup -R wrote no primary_conninfo in \(dataDirectory)")
        }
        var lastError: (any Error)?
        for _ in 0..<5 {
            let candidate = Int.random(in: 20_000...60_000)
            do {
                try Self.writeAsOwner("""
                    listen_addresses = '127.0.0.1'
                    port = \(candidate)
                    unix_socket_directories = '\(socketDirectory)'
                    fsync = off
                    max_connections = 200
                    log_min_messages = warning
                    hot_standby = on
                    \(conninfo)
                    \(applyDelay.map { "recovery_min_apply_delay = '\($0)'" } ?? "")

                    """, to: dataDirectory + "/postgresql.auto.conf", owner: runAs)
                try Self.run(binDirectory + "/pg_ctl", ["-D", dataDirectory, "-l", root + "/server.log", "-w", "-t", "60", "start"], as: runAs)
                port = candidate
                return
            } catch {
                lastError = error
            }
        }
        let log = (try? String(contentsOfFile: root + "/server.log", encoding: .utf8)) ?? ""
        throw PostgresClusterError("the standby did not start in \(root): \(lastError.map { "\($0)" } ?? "")\n\(log.suffix(2000))")
    }

    /// The superuser is trusted over TCP too (tests and scripts connect as it); other roles are not;
    /// it may stream WAL to a standby (`init(standbyOf:applyDelay:)`). `rejecting` roles may not connect over TCP.
    /// The superuser is trusted over TCP too (tests and scripts connect as it); other roles are not.
    /// `clients`: a network whose hosts may log in as well (a namespace's subnet).
    static func hostAuthentication(rejecting roles: [String], clients: String? = nil) -> String {
        var hba = roles.map { "host all \"\($0)\" 127.0.0.1/32 reject\n" }.joined()
            + "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost replication postgres 127.0.0.1/32 trust\n"
            + "host all all 127.0.0.1/32 scram-sha-256\n"
        if let clients { hba += "host all postgres \(clients) trust\nhost all all \(clients) scram-sha-256\n" }
        return hba
    }

    /// Rewrites pg_hba.conf so that `roles` may not connect over TCP (none: the usual rules) and reloads
    /// it; sessions already open stay. Not replicated: a standby keeps its own rules.
    public func rejectConnections(of roles: [String]) throws {
        try Self.writeAsOwner(Self.hostAuthentication(rejecting: roles, clients: clients), to: dataDirectory + "/pg_hba.conf", owner: runAs)
        try psql("SELECT pg_reload_conf()")
    }

    /// Runs SQL with psql as the superuser (or `user`) and returns its unaligned, tuples-only output.
    /// Stops at the first error and throws with psql's message.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres", user: String = "postgres") throws -> String {
        try Self.run(binDirectory + "/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-p", "\(port)",
                                             "-U", user, "-d", database, "-c", sql])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a file of SQL with psql (for loading data).
    public func psql(file: String, database: String) throws {
        try Self.run(binDirectory + "/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-p", "\(port)",
                                             "-U", "postgres", "-d", database, "-f", file])
    }

    /// Creates a database with the PostGIS extension.
    public func createDatabase(_ name: String, postgis: Bool = true) throws {
        try psql("CREATE DATABASE \"\(name)\"")
        if postgis { try psql("CREATE EXTENSION postgis", database: name) }
    }

    /// Creates a login role with a password (and SELECT on every table of `database`'s public schema,
    /// present and future, when `database` is given).
    public func createRole(_ name: String, password: String, readOnlyOn database: String? = nil) throws {
        try psql("CREATE ROLE \"\(name)\" LOGIN PASSWORD '\(password.replacingOccurrences(of: "'", with: "''"))'")
        if let database {
            try psql("""
                GRANT CONNECT ON DATABASE "\(database)" TO "\(name)";
                GRANT USAGE ON SCHEMA public TO "\(name)";
                GRANT SELECT ON ALL TABLES IN SCHEMA public TO "\(name)";
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "\(name)";
                """, database: database)
        }
    }

    /// `postgresql://USER@127.0.0.1:PORT/DATABASE`, as a Cairn configuration names it.
    public func url(database: String, user: String = "postgres") -> String {
        "postgresql://\(user)@\(host):\(port)/\(database)"
    }

    /// Stops the server (`fast`: open sessions are cancelled, as a restart in production does).
    public func stop() throws {
        try Self.run(binDirectory + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], as: runAs)
    }

    /// Starts a stopped server again on the same port.
    public func start() throws {
        try Self.run(binDirectory + "/pg_ctl", ["-D", dataDirectory, "-l", root + "/server.log", "-w", "-t", "60", "start"], as: runAs, in: namespace)
    }

    /// Whether the server answers.
    public var isRunning: Bool {
        (try? Self.run(binDirectory + "/pg_isready", ["-h", socketDirectory, "-p", "\(port)"])) != nil
    }

    /// The server's log so far (for failure messages).
    public var serverLog: String { (try? String(contentsOfFile: root + "/server.log", encoding: .utf8)) ?? "" }

    /// Stops the server and removes its folder.
    public func shutdown() {
        _ = try? Self.run(binDirectory + "/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"], as: runAs)
        try? FileManager.default.removeItem(atPath: root)
    }

    deinit { shutdown() }

    /// Runs a command to its end (as `user`, in network namespace `namespace` when given) and returns
    /// its standard output.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], as user: String? = nil, in namespace: String? = nil) throws -> String {
        var argv = user.map { ["/usr/sbin/runuser", "-u", $0, "--", executable] + arguments } ?? [executable] + arguments
        if let namespace { argv = ["/usr/sbin/ip", "netns", "exec", namespace] + argv }
        return try ExternalProgram.run(argv[0], Array(argv.dropFirst()))
    }

    static func writeAsOwner(_ text: String, to path: String, owner: String?) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        if let owner { try run("/bin/chown", [owner, path]) }
    }
}

public struct PostgresClusterError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
