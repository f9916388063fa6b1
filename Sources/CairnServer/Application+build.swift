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
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRouter(engine: engine, fallbackHost: "\(host):\(port)", maplibre: maplibre)
    return Application(
        router: router,
        configuration: .init(address: .hostname(host, port: port), serverName: "Cairn"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger
    )
}

/// The routes alone, for in-process tests.
/// `maplibre`: MapLibre GL JS for the viewer's vector mode (default: looked for as `MapLibreAssets` says).
public func buildRouter(engine: TileEngine, fallbackHost: String, maplibre: MapLibreAssets? = nil) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestLimitsMiddleware())
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
