import CairnEngine
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing
@testable import CairnServer

/// Every route of the public listener declares who may use it where it is registered.
struct RouteAccessTests {
    /// The routes of `router` that `GuardedRouter` did not register (so no access class covers them).
    static func unclassifiedRoutes(_ routes: GuardedRouter) -> [String] {
        routes.router.routes.filter { routes.accessClasses.access(of: $0.path) == nil }.map(\.description)
    }

    @Test func everyRegisteredRouteHasAnAccessClass() async throws {
        let engine = ServerFixtures.engine()
        let routes = buildGuardedRouter(engine: engine, fallbackHost: "localhost")
        #expect(routes.router.routes.count > 20)
        #expect(Self.unclassifiedRoutes(routes) == [])
        // After the responder is built (HEAD routes generated from GET), still every route.
        _ = routes.router.buildResponder()
        #expect(routes.router.routes.contains { $0.method == .head })
        #expect(Self.unclassifiedRoutes(routes) == [])
        try await engine.shutdown()
    }

    @Test func aRouteAddedAroundTheGuardIsCaught() async throws {
        let engine = ServerFixtures.engine()
        let routes = buildGuardedRouter(engine: engine, fallbackHost: "localhost")
        routes.router.get("/maps/:map/secret-export") { _, _ in "unguarded" }
        #expect(Self.unclassifiedRoutes(routes) == ["GET /maps/{map}/secret-export"])
        try await engine.shutdown()
    }

    @Test func mapRoutesAreGuardedByTheirMapParameterAndTileRoutesByTheirTile() async throws {
        let engine = ServerFixtures.engine()
        let table = buildGuardedRouter(engine: engine, fallbackHost: "localhost").accessClasses
        #expect(table.access(of: "/maps/:map/:z/:x/:file") == .map(.maps, tile: .xyz))
        #expect(table.access(of: "/maps/:map/:z/:x/{y}.pbf") == .map(.maps, tile: .xyzVector))
        #expect(table.access(of: "/tms/1.0.0/:map/:z/:x/:file") == .map(.maps, tile: .tms))
        #expect(table.access(of: "/wmts/:map/:style/:tms/:matrix/:row/:file") == .map(.wmts, tile: .wmts))
        #expect(table.access(of: "/ogcapi/collections/:map/map/tiles/:tms/:tileMatrix/:tileRow/:tileCol") == .map(.ogc, tile: .ogc))
        #expect(table.access(of: "/wmts") == .wmtsKeyValue)
        #expect(table.access(of: "/embed/:map") == .embed)
        #expect(table.access(of: "/maps") == .listing(.maps))
        #expect(table.access(of: "/health") == .open)
        // Every route naming a map is guarded by it.
        for (path, access) in table.classes where path.contains(":map") {
            switch access {
            case .map, .embed: break
            default: Issue.record("\(path) names a map but is \(access)")
            }
        }
        try await engine.shutdown()
    }

    @Test func tileParametersAreReadFromTheResolvedRoute() throws {
        let xyz: Parameters = ["z": "13", "x": "6523", "file": "3610@2x.png"]
        #expect(TileRouteParameters.xyz.tile(in: xyz) == GridTile(grid: nil, z: 13, x: 6523, y: 3610))
        #expect(TileRouteParameters.tms.tile(in: xyz)?.flipped == true)
        let noExtension: Parameters = ["z": "13", "x": "6523", "file": "3610"]
        #expect(TileRouteParameters.xyz.tile(in: noExtension) == nil)
        let wmts: Parameters = ["tms": "WebMercatorQuad", "matrix": "13", "row": "3610", "file": "6523.png"]
        #expect(TileRouteParameters.wmts.tile(in: wmts) == GridTile(grid: "WebMercatorQuad", z: 13, x: 6523, y: 3610))
        let jpeg: Parameters = ["tms": "WebMercatorQuad", "matrix": "13", "row": "3610", "file": "6523.jpg"]
        #expect(TileRouteParameters.wmts.tile(in: jpeg) == nil)
    }
}
