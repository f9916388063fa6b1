import CairnJobs
import ArgumentParser
import CairnConfiguration
import CairnEngine
import CairnServer
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the configured maps over HTTP.")

    @Option(help: "A YAML configuration file (default: the embedded Hai Phong demo).")
    var config: String?

    @Option(help: "Address to listen on (overrides the configuration).")
    var host: String?

    @Option(help: "Port to listen on (overrides the configuration).")
    var port: Int?

    @Option(help: "The folder holding maplibre-gl.js and maplibre-gl.css for the viewer's vector mode (default: $CAIRN_MAPLIBRE_DIR, else .build/web/maplibre beside the checkout; see scripts/fetch-maplibre).")
    var maplibreDir: String?

    // MARK: Admin API (off unless --admin-port is given; the token never comes from the command line)

    @Option(help: "Address of the admin API listener; keep it on loopback or a private network.")
    var adminHost: String = "127.0.0.1"

    @Option(help: "Port of the admin API listener (default: no admin API). Its bearer token comes from the environment variable CAIRN_ADMIN_TOKEN or --admin-token-file.")
    var adminPort: Int?

    @Option(help: "A file holding the admin API's bearer token (instead of CAIRN_ADMIN_TOKEN).")
    var adminTokenFile: String?

    @Option(help: "How many admin jobs (seeding) run at once; the others wait in a queue.")
    var adminJobs: Int = 1

    func validate() throws {
        if adminPort == nil && adminTokenFile != nil {
            throw ValidationError("--admin-token-file needs --admin-port")
        }
        if adminJobs < 1 { throw ValidationError("--admin-jobs: expected at least 1") }
    }

    /// The admin token, checked before anything starts; `nil` when the admin API is off.
    func adminToken() throws -> String? {
        guard adminPort != nil else { return nil }
        let token: String?
        do {
            token = try AdminToken.load(file: adminTokenFile)
        } catch let error as AdminTokenError {
            throw CommandFailure(message: error.message)
        }
        guard let token else {
            throw CommandFailure(message: "--admin-port needs a bearer token: set \(AdminToken.environmentVariable) or give --admin-token-file FILE (at least \(AdminToken.minimumLength) characters, e.g. from `openssl rand -hex 32`)")
        }
        return token
    }

    // MARK: -

    func run() async throws {
        EventLoopThreads.matchCPUAffinity()
        let adminToken = try adminToken()
        var configuration = try loadConfiguration(config)
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        var logger = Logger(label: "cairn")
        logger.logLevel = .info
        let engine = TileEngine(configuration: configuration, logger: logger)
        let failures = await engine.loadMaps()
        for (name, error) in failures.sorted(by: { $0.key < $1.key }) {
            logger.error("map \(name) is unavailable: \(error)")
        }
        // A cache file that cannot be used is reported now, not at its first request.
        Task { await engine.openExistingCacheFiles() }
        let access = try await loadAccessControl(configuration)
        access.verifier.keys.logReloads(to: logger)
        let connections = try connectionPolicy(configuration, logger: logger)
        let (mapCount, host, startLogger) = (configuration.maps.count, configuration.host, logger)
        let maplibre = MapLibreAssets(directory: maplibreDir)
        if let reason = maplibre.unavailableReason { logger.info("viewer: raster only: \(reason)") }
        let app = buildApplication(
            engine: engine, host: configuration.host, port: configuration.port, logger: logger,
            maplibre: maplibre, access: access, connections: connections
        ) { port in
            startLogger.info("Cairn is serving \(mapCount) map(s) at http://\(host):\(port)/")
        }
        let hangup = await HangupReload(engine: engine, access: access, configurationFile: config, logger: logger)
        // One LISTEN connection per database: edits reach the tiles (see README, "Live edits").
        let changeListeners: [any Service] = engine.makeChangeListeners()
        // MARK: Admin API wiring: the public and admin listeners run in one ServiceGroup.
        if let adminToken, let adminPort {
            let adminHost = self.adminHost
            if !["127.0.0.1", "::1", "localhost"].contains(adminHost) {
                logger.warning("the admin API listens on \(adminHost), not loopback: its bearer token travels unencrypted; put it behind TLS or a private network")
            }
            let jobs = JobManager(engine: engine, maxConcurrentJobs: adminJobs, logger: logger)
            let admin = buildAdminApplication(engine: engine, jobs: jobs, host: adminHost, port: adminPort, token: adminToken,
                                              access: access, configurationFile: config, logger: logger) { port in
                startLogger.info("Cairn admin API at http://\(adminHost):\(port)/admin/")
            }
            let services: [any Service] = [
                Listener(service: app, host: configuration.host, port: configuration.port),
                Listener(service: admin, host: adminHost, port: adminPort, role: "the admin API"),
                hangup,
                CacheFileWatch(engine: engine),
                engine.databases,
            ] + changeListeners
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await run(group, engine: engine)
            return
        }
        // MARK: -
        let listener = Listener(service: app, host: configuration.host, port: configuration.port)
        try await run(ServiceGroup(configuration: .init(services: [listener, hangup, CacheFileWatch(engine: engine), engine.databases] + changeListeners, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)), engine: engine)
    }

    /// Raises the open-file limit as far as allowed and derives the public listener's cap from
    /// it (or checks the configured one against it), logging both.
    func connectionPolicy(_ configuration: CairnConfiguration, logger: Logger) throws -> ConnectionPolicy {
        let openFiles = OpenFileBudget.raiseOpenFileLimit()
        let budget: OpenFileBudget
        do {
            budget = try OpenFileBudget(openFiles: openFiles, cacheFiles: configuration.maps.count * 4,
                                        configured: configuration.limits.maxConnections)
        } catch {
            throw CommandFailure(message: error.message)
        }
        let limits = configuration.limits
        logger.info("open-file limit \(openFiles): at most \(budget.maxConnections) public connection(s)\(limits.maxConnections == nil ? " (75 % of the limit less \(budget.reserved) kept for cache files and the admin API; set limits.max_connections to change)" : ""); request heads within \(limits.headTimeoutMilliseconds) ms, idle connections closed after \(limits.idleTimeoutMilliseconds) ms")
        return ConnectionPolicy(limits: limits, maxConnections: budget.maxConnections)
    }

    /// Runs the listeners; the engine (render threads, cache files) is shut down however they end.
    private func run(_ group: ServiceGroup, engine: TileEngine) async throws {
        do {
            try await group.run()
        } catch {
            try? await engine.shutdown()
            throw error
        }
        try await engine.shutdown()
    }
}
