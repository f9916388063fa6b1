import CairnConfiguration
import CairnCore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// One configured database: its pooled client (postgres-nio), its health, and the tables described
/// so far. A failing query or the periodic probe marks it down; while down, queries fail at once
/// (the map's cold tiles answer 503) and the probe retries with backoff (0.5 s doubling to 30 s)
/// until the database answers again. Never throws out of `run()`: a database never stops the server.
public final class PostGISDatabase: Sendable {
    public let configuration: DatabaseConfiguration
    /// Nil when the client could not be configured (password file missing): down for good, with the reason.
    private let client: PostgresClient?
    private let state: Mutex<DatabaseHealth>
    private let tables = Mutex<[PostGISTableKey: PostGISTable]>([:])
    private let logger: Logger
    /// Probe interval while up; while down, backoff from `retryInitial` doubling to `retryMaximum`.
    private let probeInterval: Duration
    private let retryInitial: Duration
    private let retryMaximum: Duration
    private let environment: [String: String]

    public init(configuration: DatabaseConfiguration, logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment,
                probeInterval: Duration = .seconds(5), retryInitial: Duration = .milliseconds(500), retryMaximum: Duration = .seconds(30)) {
        self.configuration = configuration
        self.logger = logger
        self.probeInterval = probeInterval
        self.retryInitial = retryInitial
        self.retryMaximum = retryMaximum
        self.environment = environment
        var clientLogger = logger
        // The pool logs every failed connection attempt; the health transitions below say it once.
        clientLogger.logLevel = .critical
        let made: (client: PostgresClient?, health: DatabaseHealth)
        do {
            made = (PostgresClient(configuration: try configuration.clientConfiguration(environment: environment), backgroundLogger: clientLogger), .starting)
        } catch {
            made = (nil, .down(reason: DatabaseErrorText.describe(error, database: configuration)))
        }
        client = made.client
        state = Mutex(made.health)
    }

    public var name: String { configuration.name }
    public var health: DatabaseHealth { state.withLock { $0 } }
    public var status: DatabaseStatus { DatabaseStatus(name: name, displayURL: configuration.displayURL, health: health) }

    /// Runs the pool and the health probe until the task is cancelled.
    public func run() async {
        guard let client else {
            logger.error("database unavailable", metadata: ["database": "\(name)", "url": "\(configuration.displayURL)", "reason": "\(health.reason ?? "")"])
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { await self.probeLoop() }
            await group.next()
            group.cancelAll()
        }
    }

    private func probeLoop() async {
        var delay = retryInitial
        while !Task.isCancelled {
            let wasUp = health == .up
            do {
                try await probe()
                delay = retryInitial
                do { try await Task.sleep(for: probeInterval) } catch { return }
            } catch {
                if Task.isCancelled { return }
                if wasUp { delay = retryInitial }
                do { try await Task.sleep(for: delay) } catch { return }
                delay = min(delay * 2, retryMaximum)
            }
        }
    }

    /// `SELECT 1`, marking the database up or down. While up, through the pool; otherwise on a
    /// connection of its own, whose failure says why (the pool, retrying in the background, only
    /// says that it cannot connect).
    public func probe() async throws {
        if health == .up {
            _ = try await rows(PostgresQuery(unsafeSQL: "SELECT 1"), probing: true)
            return
        }
        do {
            let settings = try configuration.connectionConfiguration(environment: environment)
            let quiet = quietLogger
            let limit = Duration.milliseconds(configuration.statementTimeoutMilliseconds) + .seconds(5)
            try await withDeadline(limit) {
                let connection = try await PostgresConnection.connect(configuration: settings, id: 0, logger: quiet)
                do {
                    _ = try await connection.query("SELECT 1", logger: quiet)
                } catch {
                    try? await connection.close()
                    throw error
                }
                try await connection.close()
            }
            markUp()
        } catch {
            if Task.isCancelled { throw error }
            markDown(DatabaseErrorText.describe(error, database: configuration))
            throw error
        }
    }

    /// Runs `query` and returns its rows. Fails at once with `.unavailable` while the database is down.
    public func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await rows(query, probing: false)
    }

    private func rows(_ query: PostgresQuery, probing: Bool) async throws -> [PostgresRow] {
        guard let client else { throw unavailable(health.reason ?? "not configured") }
        if !probing, case .down(let reason) = health { throw unavailable(reason) }
        // Leasing a connection from a pool whose server is gone waits for the pool's connect
        // timeout; the statement itself is bounded by statement_timeout. Both, plus slack.
        let limit = Duration.milliseconds(configuration.statementTimeoutMilliseconds) + .seconds(5)
        do {
            let result = try await withDeadline(limit) {
                var collected: [PostgresRow] = []
                for try await row in try await client.query(query, logger: self.logger) { collected.append(row) }
                return collected
            }
            markUp()
            return result
        } catch {
            if Task.isCancelled { throw error }
            if DatabaseErrorText.isConnectionFailure(error) {
                var reason = DatabaseErrorText.describe(error, database: configuration)
                // The pool's "cannot connect" must not hide what the probe found out.
                if let known = health.reason, reason.hasPrefix("cannot connect") || reason.hasPrefix("no answer") { reason = known }
                markDown(reason)
                throw unavailable(reason)
            }
            markUp()
            let state = DatabaseErrorText.sqlState(of: error) ?? ""
            let text = DatabaseErrorText.describe(error, database: configuration)
            // 42P01 undefined_table, 42703 undefined_column: the table changed under a description.
            let code: PostGISError.Code = state == "42P01" ? .noSuchTable : state == "42703" ? .noSuchColumn : .queryFailed
            throw PostGISError(code, "database \(name) (\(configuration.displayURL)): \(text)", context: context)
        }
    }

    /// For the probe's own connection: its failure is reported once, by the health transition.
    private var quietLogger: Logger {
        var quiet = logger
        quiet.logLevel = .critical
        return quiet
    }

    private var context: [String: String] { ["database": name, "url": configuration.displayURL] }

    private func unavailable(_ reason: String) -> PostGISError {
        PostGISError(.unavailable, "database \(name) (\(configuration.displayURL)) is unavailable: \(reason)", context: context)
    }

    private func markUp() {
        let previous = state.withLock { state in
            defer { state = .up }
            return state
        }
        if previous.isDown {
            // Tables may have changed while it was away.
            tables.withLock { $0.removeAll() }
            logger.notice("database is back", metadata: ["database": "\(name)", "url": "\(configuration.displayURL)"])
        }
    }

    private func markDown(_ reason: String) {
        let previous = state.withLock { state in
            defer { state = .down(reason: reason) }
            return state
        }
        if previous != .down(reason: reason) {
            logger.error("database unavailable; its maps are degraded until it answers again", metadata: [
                "database": "\(name)", "url": "\(configuration.displayURL)", "reason": "\(reason)",
            ])
        }
    }

    // MARK: Table descriptions

    /// The table's description, from the cache or the catalog.
    public func table(_ name: PostGISTableName, geometryColumn: String?, crs: CRSDefinition?) async throws -> PostGISTable {
        let key = PostGISTableKey(table: name, geometryColumn: geometryColumn, crs: crs)
        if let known = tables.withLock({ $0[key] }) { return known }
        let described = try await PostGISCatalog.describe(name, geometryColumn: geometryColumn, crs: crs, in: self)
        tables.withLock { $0[key] = described }
        return described
    }

    /// Forgets a table's description (dropped or altered), so the next use describes it again.
    public func forgetTable(_ name: PostGISTableName) {
        tables.withLock { tables in
            for key in tables.keys where key.table == name { tables[key] = nil }
        }
    }
}

struct PostGISTableKey: Hashable, Sendable {
    var table: PostGISTableName
    var geometryColumn: String?
    var crs: CRSDefinition?
}

/// Runs `body`, failing with a timeout when it takes longer than `limit`.
func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw PostGISError(.unavailable, "no answer within \(limit)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
