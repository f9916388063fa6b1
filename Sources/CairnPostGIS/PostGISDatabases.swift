import CairnConfiguration
import Logging
import ServiceLifecycle

/// Every configured database's client, run as one `Service` beside the server (`cairn serve`) or
/// around a command (`seed`, `render`, `validate`): created with the engine, connected when run,
/// closed on graceful shutdown.
public final class PostGISDatabases: Service, Sendable {
    public let byName: [String: PostGISDatabase]

    public init(configurations: [String: DatabaseConfiguration], logger: Logger) {
        byName = configurations.mapValues { PostGISDatabase(configuration: $0, logger: logger) }
    }

    public subscript(name: String) -> PostGISDatabase? { byName[name] }

    public var isEmpty: Bool { byName.isEmpty }

    public var statuses: [DatabaseStatus] { byName.keys.sorted().compactMap { byName[$0]?.status } }

    /// Runs every database until graceful shutdown or cancellation. Returns only then, even with no
    /// database or one that cannot be configured: a service that returns would end the server.
    public func run() async throws {
        let databases = Array(byName.values)
        await withDiscardingTaskGroup { group in
            for database in databases { group.addTask { await database.run() } }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    /// Runs the databases while `body` runs (commands that are not a service group).
    public func whileRunning<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard !byName.isEmpty else { return try await body() }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await self.run(); return nil }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
