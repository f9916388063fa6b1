import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// Tiles in any of a map's grids, and TMS row order:
/// `GET /maps/{map}/grids/{grid}/{z}/{x}/{y}[@2x].png` (x = column, y = row from the top),
/// `GET /maps/{map}/grids/{grid}/tiles.json`, and `GET /tms/1.0.0/{map}/{z}/{x}/{y}[@2x].png`
/// (rows counted from the bottom, as TMS clients expect).
struct GridTileController: Sendable {
    typealias Context = CairnRequestContext

    let engine: TileEngine
    let fallbackHost: String

    func register(in routes: GuardedRouter) {
        routes.get("/maps/:map/grids/:grid/tiles.json", access: .map(.maps)) { request, context in try await tileJSON(request, context) }
        routes.get("/maps/:map/grids/:grid/:z/:x/:file", access: .map(.maps, tile: .gridXYZ)) { request, context in try await gridTile(request, context) }
        routes.get("/tms/1.0.0/:map/:z/:x/:file", access: .map(.maps, tile: .tms)) { request, context in try await tmsTile(request, context) }
    }

    func gridTile(_ request: Request, _ context: Context) async throws -> Response {
        let (name, address) = try parse(context)
        let grid = try gridName(context)
        let map = try await engine.map(named: name, grid: grid)
        let result = try await engine.tile(map: name, grid: grid, address.tile, scale: address.scale, admission: context.renderAdmission)
        return TileController.response(for: result, maxAgeSeconds: map.configuration.maxAgeSeconds, request: request)
    }

    func tmsTile(_ request: Request, _ context: Context) async throws -> Response {
        var (name, address) = try parse(context)
        let map = try await engine.map(named: name)
        let rows = map.grid.matrixSize(at: min(max(address.tile.z, 0), map.grid.maxZoom)).rows
        guard address.tile.y < rows else { throw EngineError(.notFound, "tile outside the grid") }
        address.tile.y = rows - 1 - address.tile.y
        let result = try await engine.tile(map: name, address.tile, scale: address.scale, admission: context.renderAdmission)
        return TileController.response(for: result, maxAgeSeconds: map.configuration.maxAgeSeconds, request: request)
    }

    /// TileJSON 3.0.0 for one grid. TileJSON assumes Web Mercator, so other grids add `crs`
    /// and `tilematrixset` (as some clients read them) and list their own tile URL.
    func tileJSON(_ request: Request, _ context: Context) async throws -> Response {
        let name = context.parameters.get("map") ?? ""
        guard MapConfiguration.isValidName(name) else { throw EngineError(.notFound, "no such map") }
        let grid = try gridName(context)
        let map = try await engine.map(named: name, grid: grid)
        let base = MapController(engine: engine, fallbackHost: fallbackHost).baseURL(request)
        var document = MapController.tileJSONDocument(map, tiles: base + "/maps/\(name)/grids/\(grid)/{z}/{x}/{y}.png")
        document[member: "crs"] = JSONValue(map.grid.crs.projInput)
        document[member: "tilematrixset"] = JSONValue(map.grid.identifier)
        document[member: "maxzoom"] = JSONValue(min(map.configuration.maxZoom, map.grid.maxZoom))
        return MapController.json(document, cacheControl: "public, max-age=60", cors: true)
    }

    func parse(_ context: Context) throws -> (String, TileAddress) {
        let name = context.parameters.get("map") ?? ""
        guard MapConfiguration.isValidName(name) else { throw EngineError(.notFound, "no such map") }
        guard let address = TileAddress(z: context.parameters.get("z") ?? "", x: context.parameters.get("x") ?? "",
                                        file: context.parameters.get("file") ?? "") else {
            throw EngineError(.badRequest, "malformed tile address; expected {z}/{x}/{y}.png or {y}@2x.png with plain decimal numbers")
        }
        return (name, address)
    }

    func gridName(_ context: Context) throws -> String {
        let grid = context.parameters.get("grid") ?? ""
        guard !grid.isEmpty, grid.utf8.count <= 64, grid.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }) else {
            throw EngineError(.notFound, "no such grid")
        }
        return grid
    }
}
