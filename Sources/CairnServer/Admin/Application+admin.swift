import CairnJobs
import CairnEngine
import Hummingbird
import Logging

/// Builds the admin HTTP application: a listener of its own (keep it on a loopback or
/// private address), every route behind `Authorization: Bearer <token>`. It runs `jobs` as
/// one of its services, so jobs run while it runs and are cancelled when it stops; do not
/// run `jobs` elsewhere.
/// - Parameters:
///   - token: the bearer token (see `AdminToken`); an empty token refuses every request.
///   - maxBodyBytes: larger request bodies are refused with 413.
///   - access/configurationFile: given both, `POST /admin/reload` re-reads the maps' access classes
///     and embed origins from the file into `access` (see `AccessControl.updateMaps(from:)`).
///   - authFailureInterval: refused authentications after the first are logged as one summary line per interval.
///   - connections: cap and timeouts (default: the configured head, idle and write timeouts, a cap
///     of `ConnectionPolicy.adminMaxConnections`), so idle admin connections are closed too.
public func buildAdminApplication(
    engine: TileEngine,
    jobs: JobManager,
    host: String,
    port: Int,
    token: String,
    maxBodyBytes: Int = 64 * 1024,
    access: AccessControl? = nil,
    configurationFile: String? = nil,
    connections: ConnectionPolicy? = nil,
    authFailureInterval: Duration = .seconds(60),
    logger: Logger = Logger(label: "cairn.admin"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let policy = connections ?? ConnectionPolicy(limits: engine.configuration.limits, maxConnections: ConnectionPolicy.adminMaxConnections)
    var app = Application(
        router: buildAdminRouter(engine: engine, jobs: jobs, token: token, maxBodyBytes: maxBodyBytes,
                                 access: access, configurationFile: configurationFile,
                                 failures: AdminAuthFailureLog(logger: logger, interval: authFailureInterval)),
        server: .guardedHTTP1(policy: policy),
        configuration: .init(address: .hostname(host, port: port), serverName: "Cairn"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger
    )
    app.addServices(jobs)
    return app
}

/// The admin routes alone.
/// - Parameter failures: refused authentications are logged in summary there (default: one notice each).
public func buildAdminRouter(engine: TileEngine, jobs: JobManager, token: String, maxBodyBytes: Int = 64 * 1024,
                             access: AccessControl? = nil, configurationFile: String? = nil,
                             failures: AdminAuthFailureLog? = nil) -> Router<CairnRequestContext> {
    let router = Router(context: CairnRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestLimitsMiddleware())
    router.add(middleware: AdminAuthMiddleware(token: token, failures: failures))
    AdminController(engine: engine, jobs: jobs, maxBodyBytes: maxBodyBytes, access: access,
                    configurationFile: configurationFile).register(in: router)
    MethodNotAllowed.register(in: router, answersPreflights: false)
    return router
}
