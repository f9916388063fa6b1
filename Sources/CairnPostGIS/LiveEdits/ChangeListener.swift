import CairnConfiguration
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// One `LISTEN` connection to a database (to `listen_url` when configured, since replicas do not
/// relay notifications), on `ChangeNotification.channel`. Lost connections are made again with
/// backoff; once one is back after a loss, `onEvent` gets `.resumed` (notifications sent while it
/// was down are gone, so everything drawn from the database must be considered stale).
/// Payloads that are not Cairn's are reported as `.ignored` and change nothing.
public final class ChangeListener: Service, Sendable {
    public enum Event: Sendable {
        case notification(ChangeNotification)
        case ignored(payload: String, reason: String)
        /// Listening again after the connection was lost or could not be made; with the primary's WAL
        /// position then when reads go to a replica (edits missed meanwhile lie before it).
        case resumed(primaryPosition: WALPosition?)
    }

    public let database: DatabaseConfiguration
    private let logger: Logger
    private let onEvent: @Sendable (Event) async -> Void
    private let initialBackoff: Duration
    private let maximumBackoff: Duration
    private let environment: [String: String]
    private let stateBox = Mutex<ChangeListenerState>(.connecting)
    private let reconnectCounter = Atomic<Int>(0)

    public init(database: DatabaseConfiguration, logger: Logger, initialBackoff: Duration = .milliseconds(100),
                maximumBackoff: Duration = .seconds(5), environment: [String: String] = ProcessInfo.processInfo.environment,
                onEvent: @escaping @Sendable (Event) async -> Void) {
        self.database = database
        self.logger = logger
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.environment = environment
        self.onEvent = onEvent
    }

    public var state: ChangeListenerState { stateBox.withLock { $0 } }

    /// Times the connection was made again after a loss or a failed attempt.
    public var reconnects: Int { reconnectCounter.load(ordering: .relaxed) }

    /// The address listened to, without any secret.
    public var displayURL: String {
        guard let listen = database.listen else { return database.displayURL }
        return "postgresql://\(listen.user)@\(listen.host):\(listen.port)/\(listen.database)"
    }

    /// Runs until the service group shuts down; a shutdown ends it normally (never as a failure,
    /// which would fail the whole group).
    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            var failures = 0
            var connectionID = 0
            while !Task.isCancelled {
                let reason: String
                do {
                    connectionID += 1
                    try await listenOnce(id: connectionID, resumed: failures > 0)
                    reason = "the connection was closed"
                } catch {
                    if Task.isCancelled { break }
                    reason = Self.describe(error)
                }
                if Task.isCancelled { break }
                failures += 1
                stateBox.withLock { $0 = .reconnecting(reason: reason, attempts: failures) }
                logger.warning("database \(database.name): LISTEN \(ChangeNotification.channel) lost (\(reason)); reconnecting", metadata: [
                    "database": "\(displayURL)", "attempt": "\(failures)",
                ])
                try? await Task.sleep(for: backoff(after: failures))
            }
        }
    }

    private func listenOnce(id: Int, resumed: Bool) async throws {
        let configuration = try database.connectionConfiguration(forListen: true, environment: environment)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
        defer { Task { try? await connection.close() } }
        try await connection.listen(on: ChangeNotification.channel) { notifications in
            stateBox.withLock { $0 = .connected(since: Date()) }
            if resumed {
                reconnectCounter.wrappingAdd(1, ordering: .relaxed)
                logger.notice("database \(database.name): listening on \(ChangeNotification.channel) again; tiles drawn from it are marked stale (edits may have been missed)", metadata: ["database": "\(displayURL)"])
                await onEvent(.resumed(primaryPosition: try await primaryPosition(on: connection)))
            } else {
                logger.info("database \(database.name): listening on \(ChangeNotification.channel) for edits", metadata: ["database": "\(displayURL)"])
            }
            for try await notification in notifications {
                var parsed: ChangeNotification
                do {
                    parsed = try ChangeNotification(payload: notification.payload)
                } catch {
                    await onEvent(.ignored(payload: notification.payload, reason: (error as? ChangeNotificationError)?.message ?? "\(error)"))
                    continue
                }
                parsed.primaryPosition = try await primaryPosition(on: connection)
                await onEvent(.notification(parsed))
            }
        }
    }

    /// When reads go to a replica, the primary's WAL position read now, on the LISTEN connection
    /// (nil otherwise): notifications are sent at commit, so an edit notified before lies at or
    /// before it. The insert position, not `pg_current_wal_lsn()` (the written one): with
    /// `synchronous_commit = off` a commit may notify before its record is written, never before
    /// it is inserted.
    private func primaryPosition(on connection: PostgresConnection) async throws -> WALPosition? {
        guard let listen = database.listen,
              listen != DatabaseConfiguration.Endpoint(host: database.host, port: database.port, user: database.user, database: database.database)
        else { return nil }
        var position: WALPosition?
        let rows = try await connection.query("SELECT pg_current_wal_insert_lsn()::text", logger: logger)
        for try await row in rows { position = WALPosition(parsing: try row.decode(String.self)) }
        return position
    }

    /// 100 ms, 200 ms, 400 ms… up to the maximum.
    private func backoff(after failures: Int) -> Duration {
        let factor = 1 << min(failures - 1, 16)
        return min(initialBackoff * factor, maximumBackoff)
    }

    /// PostgreSQL's own message when there is one (postgres-nio's `PSQLError` description hides
    /// it, to keep query text out of logs); never the configuration's password.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        if let error = error as? DatabaseCredentialError { return error.message }
        return "\(error)"
    }
}
