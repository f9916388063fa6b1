import CairnEngine
import Hummingbird
import Logging

/// Builds the HTTP application; the CLI and the tests share it.
/// - Parameters:
///   - engine: the tile engine serving the configured maps.
///   - host/port: where to listen (port 0 picks a free port; see `onServerRunning`).
public func buildApplication(
    engine: TileEngine,
    host: String,
    port: Int,
    logger: Logger = Logger(label: "cairn"),
    maplibre: MapLibreAssets? = nil,
    access: AccessControl? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRouter(engine: engine, fallbackHost: "\(host):\(port)", maplibre: maplibre, access: access)
    return Application(
        router: router,
        configuration: .init(address: .hostname(host, port: port), serverName: "Cairn"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger
    )
}

/// The routes alone, for in-process tests.
/// - Parameters:
///   - maplibre: MapLibre GL JS for the viewer's vector mode (default: looked for as `MapLibreAssets` says).
///   - access: credentials and audit for internal maps; without it internal maps are invisible to all.
public func buildRouter(
    engine: TileEngine, fallbackHost: String, maplibre: MapLibreAssets? = nil, access: AccessControl? = nil
) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestLimitsMiddleware())
    let accessControl = access ?? AccessControl(configuration: engine.configuration)
    router.add(middleware: AccessMiddleware(control: accessControl))
    EmbedController(engine: engine, control: accessControl).register(in: router)
    let maplibre = maplibre ?? MapLibreAssets()
    MapController(engine: engine, fallbackHost: fallbackHost, maplibre: maplibre).register(in: router)
    TileController(engine: engine).register(in: router)
    GridTileController(engine: engine, fallbackHost: fallbackHost).register(in: router)
    WMTSController(engine: engine, fallbackHost: fallbackHost).register(in: router)
    OGCAPIController(engine: engine, fallbackHost: fallbackHost).register(in: router)
    VectorTileController(engine: engine, fallbackHost: fallbackHost).register(in: router)
    AssetController(assets: maplibre).register(in: router)
    return router
}
