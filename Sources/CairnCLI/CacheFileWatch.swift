import CairnEngine
import ServiceLifecycle

/// Runs the engine's watch for cache files deleted or replaced under the server (each instance's
/// MBTiles is only a local cache an operator may delete at any time) until graceful shutdown.
struct CacheFileWatch: Service {
    let engine: TileEngine

    func run() async throws {
        await cancelWhenGracefulShutdown { await engine.watchCacheFiles() }
    }
}
