import CairnEngine
import Hummingbird
import HummingbirdCore
import Logging
import NIOHTTP1

/// Builds the HTTP application; the CLI and the tests share it.
/// - Parameters:
///   - engine: the tile engine serving the configured maps; its configuration's `limits`
///     set the header caps, rate limits and render budgets.
///   - host/port: where to listen (port 0 picks a free port; see `onServerRunning`).
///   - connections: the connection cap and timeouts (default: the configured timeouts and
///     `limits.max_connections`, else a cap of 1,000).
///   - eventKeepAlive: how often an idle `/maps/{map}/events` stream gets a keep-alive comment
///     (tests shorten it).
public func buildApplication(
    engine: TileEngine,
    host: String,
    port: Int,
    logger: Logger = Logger(label: "cairn"),
    maplibre: MapLibreAssets? = nil,
    access: AccessControl? = nil,
    connections: ConnectionPolicy? = nil,
    eventKeepAlive: Duration? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let limits = engine.configuration.limits
    // One access control and one set of rate-limit buckets for the router and the hot tile path.
    let accessControl = access ?? AccessControl(configuration: engine.configuration)
    let limiter = RateLimiter(limits: limits, metrics: engine.metrics)
    let router = buildGuardedRouter(engine: engine, fallbackHost: "\(host):\(port)", maplibre: maplibre, access: accessControl,
                                    eventKeepAlive: eventKeepAlive, limiter: limiter).router
    let hotTiles = engine.configuration.memoryCacheBytes > 0 ? HotTilePath(engine: engine, access: accessControl, limiter: limiter) : nil
    var decoder = NIOHTTPDecoderLimitConfiguration()
    decoder.maxHeaderFieldSize = limits.maxHeaderBytes
    decoder.maxHeaderListSize = limits.maxHeaderBytes
    decoder.maxHeaderFieldCount = limits.maxHeaders
    let policy = connections ?? ConnectionPolicy(limits: limits, maxConnections: limits.maxConnections ?? 1_000)
    return Application(
        router: router,
        server: .guardedHTTP1(policy: policy, decoderLimits: decoder, additionalChannelHandlers: { [HeaderOverflowHandler()] },
                              hotTiles: hotTiles),
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
) -> Router<CairnRequestContext> {
    buildGuardedRouter(engine: engine, fallbackHost: fallbackHost, maplibre: maplibre, access: access).router
}

/// The routes with the access class each was registered with.
func buildGuardedRouter(
    engine: TileEngine, fallbackHost: String, maplibre: MapLibreAssets? = nil, access: AccessControl? = nil,
    eventKeepAlive: Duration? = nil, limiter: RateLimiter? = nil
) -> GuardedRouter {
    let router = Router(context: CairnRequestContext.self, options: .autoGenerateHeadEndpoints)
    let limits = engine.configuration.limits
    router.add(middleware: MetricsMiddleware(metrics: engine.metrics))
    router.add(middleware: ResponseHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestLimitsMiddleware(limits: limits))
    let limiter = limiter ?? RateLimiter(limits: limits, metrics: engine.metrics)
    router.add(middleware: AddressRateLimitMiddleware(limiter: limiter))
    router.add(middleware: PreflightMiddleware())
    let accessControl = access ?? AccessControl(configuration: engine.configuration)
    // Each route's access class, then (so verified keys and tokens get their own buckets) its rate limit.
    let routes = GuardedRouter(router: router, accessGuard: AccessGuard(control: accessControl),
                               rateLimit: RateLimitMiddleware(limiter: limiter))
    EmbedController(engine: engine, control: accessControl).register(in: routes)
    let maplibre = maplibre ?? MapLibreAssets()
    MapController(engine: engine, fallbackHost: fallbackHost, maplibre: maplibre, access: accessControl).register(in: routes)
    TileController(engine: engine).register(in: routes)
    WebPTileController(engine: engine).register(in: routes)
    EventStreamController(engine: engine, keepAliveInterval: eventKeepAlive ?? EventStreamController.defaultKeepAliveInterval)
        .register(in: routes)
    GridTileController(engine: engine, fallbackHost: fallbackHost).register(in: routes)
    WMTSController(engine: engine, fallbackHost: fallbackHost).register(in: routes)
    OGCAPIController(engine: engine, fallbackHost: fallbackHost).register(in: routes)
    VectorTileController(engine: engine, fallbackHost: fallbackHost).register(in: routes)
    SpriteController(engine: engine, fallbackHost: fallbackHost).register(in: routes)
    AssetController(assets: maplibre).register(in: routes)
    FontController(engine: engine).register(in: routes)
    MethodNotAllowed.register(in: router, answersPreflights: true)
    return routes
}
