import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// OGC API - Tiles Part 1 (map tilesets) under `/ogcapi`, with OGC API - Common landing page,
/// conformance and collections, and the TMS 2.0 tile matrix set documents. Every document is
/// JSON by default and HTML for `?f=html` or browsers.
struct OGCAPIController: Sendable {
    typealias Context = CairnRequestContext

    let engine: TileEngine
    let fallbackHost: String

    static var prefix: String { "/ogcapi" }

    static var conformanceClasses: [String] {
        [
            "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
            "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
            "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/png",
            "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
        ]
    }

    func register(in routes: GuardedRouter) {
        let p = Self.prefix
        routes.get(RouterPath(p), access: .open) { request, _ in try await landingPage(request) }
        routes.get(RouterPath(p + "/conformance"), access: .open) { request, _ in try conformance(request) }
        routes.get(RouterPath(p + "/tileMatrixSets"), access: .open) { request, _ in try tileMatrixSets(request) }
        routes.get(RouterPath(p + "/tileMatrixSets/:tms"), access: .open) { request, context in try tileMatrixSet(request, context) }
        routes.get(RouterPath(p + "/collections"), access: .listing(.ogc)) { request, context in try await collections(request, context) }
        routes.get(RouterPath(p + "/collections/:map"), access: .map(.ogc)) { request, context in try await collection(request, context) }
        routes.get(RouterPath(p + "/collections/:map/map/tiles"), access: .map(.ogc)) { request, context in try await tilesets(request, context) }
        routes.get(RouterPath(p + "/collections/:map/map/tiles/:tms"), access: .map(.ogc)) { request, context in try await tileset(request, context) }
        routes.get(RouterPath(p + "/collections/:map/map/tiles/:tms/:tileMatrix/:tileRow/:tileCol"), access: .map(.ogc, tile: .ogc)) { request, context in
            try await tile(request, context)
        }
    }

    // MARK: Resources

    func landingPage(_ request: Request) async throws -> Response {
        let format = try OGCResponseFormat(request)
        let base = baseURL(request)
        let document: JSONValue = [
            "title": JSONValue(engine.configuration.service.title),
            "description": JSONValue(engine.configuration.service.abstract ?? "Map tiles rendered by Cairn, offered through OGC API - Tiles."),
            "links": .array(selfLinks(base, "", format: format, title: "This document") + [
                link(base + "/conformance", rel: OGCRel.conformance, title: "Conformance classes"),
                link(base + "/conformance", rel: OGCRel.ogcConformance, title: "Conformance classes"),
                link(base + "/tileMatrixSets", rel: OGCRel.tilingSchemes, title: "Tile matrix sets"),
                link(base + "/collections", rel: OGCRel.data, title: "Collections"),
            ]),
        ]
        return respond(document, title: "Cairn OGC API", format: format)
    }

    func conformance(_ request: Request) throws -> Response {
        let format = try OGCResponseFormat(request)
        let base = baseURL(request)
        let document: JSONValue = [
            "conformsTo": .array(Self.conformanceClasses.map(JSONValue.string)),
            "links": .array(selfLinks(base, "/conformance", format: format, title: "Conformance classes")),
        ]
        return respond(document, title: "Conformance", format: format)
    }

    func tileMatrixSets(_ request: Request) throws -> Response {
        let format = try OGCResponseFormat(request)
        let base = baseURL(request)
        let sets: [JSONValue] = engine.knownGrids.map { grid in
            var entry: JSONValue = [
                "id": JSONValue(grid.identifier),
                "title": JSONValue(grid.title),
                "crs": TileMatrixSetDocument.crsObject(grid.crs, isGeographic: grid.isGeographic),
                "links": [link(base + "/tileMatrixSets/" + grid.identifier, rel: "self", title: grid.title)],
            ]
            if let uri = grid.uri { entry[member: "uri"] = JSONValue(uri) }
            return entry
        }
        let document: JSONValue = [
            "tileMatrixSets": .array(sets),
            "links": .array(selfLinks(base, "/tileMatrixSets", format: format, title: "Tile matrix sets")),
        ]
        return respond(document, title: "Tile matrix sets", format: format)
    }

    func tileMatrixSet(_ request: Request, _ context: Context) throws -> Response {
        let format = try OGCResponseFormat(request)
        let grid = try knownGrid(context.parameters.get("tms") ?? "")
        let base = baseURL(request)
        let links = selfLinks(base, "/tileMatrixSets/" + grid.identifier, format: format, title: grid.title)
        return respond(TileMatrixSetDocument.encode(grid, links: links), title: grid.title, format: format)
    }

    func collections(_ request: Request, _ context: Context) async throws -> Response {
        let format = try OGCResponseFormat(request)
        let base = baseURL(request)
        var list: [JSONValue] = []
        for name in context.access.visibleMapNames(engine) {
            // A map that cannot load right now is left out of the list; its own URL says why.
            guard let map = try? await engine.map(named: name) else { continue }
            list.append(collectionDocument(map, base: base, format: nil))
        }
        let document: JSONValue = [
            "collections": .array(list),
            "links": .array(selfLinks(base, "/collections", format: format, title: "Collections")),
        ]
        return respond(document, title: "Collections", format: format)
    }

    func collection(_ request: Request, _ context: Context) async throws -> Response {
        let format = try OGCResponseFormat(request)
        let map = try await loadedMap(context)
        return respond(collectionDocument(map, base: baseURL(request), format: format), title: map.title, format: format)
    }

    func tilesets(_ request: Request, _ context: Context) async throws -> Response {
        let format = try OGCResponseFormat(request)
        let map = try await loadedMap(context)
        let base = baseURL(request)
        let path = "/collections/\(map.name)/map/tiles"
        let grids = try await engine.grids(for: map.name)
        let list: [JSONValue] = grids.map { grid in
            var entry: JSONValue = [
                "title": JSONValue("\(map.title) (\(grid.title))"),
                "dataType": "map",
                "crs": TileMatrixSetDocument.crsObject(grid.crs, isGeographic: grid.isGeographic),
                "links": [
                    link(base + path + "/" + grid.identifier, rel: "self", title: "\(map.title) in \(grid.title)"),
                    link(base + "/tileMatrixSets/" + grid.identifier, rel: OGCRel.tilingScheme, title: grid.title),
                ],
            ]
            if let uri = grid.uri { entry[member: "tileMatrixSetURI"] = JSONValue(uri) }
            return entry
        }
        let document: JSONValue = [
            "tilesets": .array(list),
            "links": .array(selfLinks(base, path, format: format, title: "Map tilesets of \(map.title)")
                + [link(base + "/collections/" + map.name, rel: OGCRel.geodata, title: map.title)]),
        ]
        return respond(document, title: "Map tilesets of \(map.title)", format: format)
    }

    func tileset(_ request: Request, _ context: Context) async throws -> Response {
        let format = try OGCResponseFormat(request)
        let map = try await loadedMap(context)
        let grid = try await mapGrid(map, context.parameters.get("tms") ?? "")
        let base = baseURL(request)
        let path = "/collections/\(map.name)/map/tiles/\(grid.identifier)"
        var limits: [JSONValue] = []
        let lowest = max(map.configuration.minZoom, 0)
        let highest = min(map.configuration.maxZoom, grid.maxZoom)
        if lowest <= highest {
            for z in lowest...highest {
                let size = grid.matrixSize(at: z)
                limits.append(["tileMatrix": JSONValue(String(z)), "minTileRow": 0, "maxTileRow": JSONValue(size.rows - 1),
                               "minTileCol": 0, "maxTileCol": JSONValue(size.columns - 1)])
            }
        }
        var itemLink = link(base + path + "/{tileMatrix}/{tileRow}/{tileCol}", rel: "item", type: "image/png",
                            title: "\(map.title) tiles in \(grid.title)")
        itemLink[member: "templated"] = true
        var document: JSONValue = [
            "title": JSONValue("\(map.title) (\(grid.title))"),
            "dataType": "map",
            "crs": TileMatrixSetDocument.crsObject(grid.crs, isGeographic: grid.isGeographic),
            "tileMatrixSetLimits": .array(limits),
            "links": .array(selfLinks(base, path, format: format, title: "\(map.title) in \(grid.title)") + [
                link(base + "/tileMatrixSets/" + grid.identifier, rel: OGCRel.tilingScheme, title: grid.title),
                link(base + "/collections/" + map.name, rel: OGCRel.geodata, title: map.title),
                itemLink,
            ]),
        ]
        if let uri = grid.uri { document[member: "tileMatrixSetURI"] = JSONValue(uri) }
        if !map.attribution.isEmpty { document[member: "attribution"] = JSONValue(map.attribution) }
        return respond(document, title: "\(map.title) in \(grid.title)", format: format)
    }

    func tile(_ request: Request, _ context: Context) async throws -> Response {
        let name = context.parameters.get("map") ?? ""
        guard MapConfiguration.isValidName(name) else { throw EngineError(.notFound, "no such collection") }
        guard let z = TileAddress.number(context.parameters.get("tileMatrix") ?? "", maxDigits: 2),
              let row = TileAddress.number(context.parameters.get("tileRow") ?? "", maxDigits: 9),
              let column = TileAddress.number(context.parameters.get("tileCol") ?? "", maxDigits: 9) else {
            throw EngineError(.badRequest, "malformed tile address; expected {tileMatrix}/{tileRow}/{tileCol} as plain decimal numbers")
        }
        let map = try await engine.map(named: name)
        let grid = try await mapGrid(map, context.parameters.get("tms") ?? "")
        let coordinate = TileCoordinate(z: z, x: column, y: row)
        guard grid.contains(coordinate) else { throw EngineError(.notFound, "the tile is outside the tile matrix set") }
        let result = try await engine.tile(map: map.name, grid: grid.identifier, coordinate, scale: 1, admission: context.renderAdmission)
        return TileController.response(for: result, maxAgeSeconds: map.configuration.maxAgeSeconds, request: request)
    }

    // MARK: Helpers

    func collectionDocument(_ map: LoadedMap, base: String, format: OGCResponseFormat?) -> JSONValue {
        let b = map.geographicBounds
        let rounded = JSONValue.array([b.minX, b.minY, b.maxX, b.maxY].map { JSONValue(($0 * 1e6).rounded() / 1e6) })
        let path = "/collections/" + map.name
        var links: [JSONValue]
        if let format {
            links = selfLinks(base, path, format: format, title: map.title)
        } else {
            links = [link(base + path, rel: "self", title: map.title)]
        }
        links.append(link(base + path + "/map/tiles", rel: OGCRel.tilesetsMap, title: "Map tilesets of \(map.title)"))
        var document: JSONValue = [
            "id": JSONValue(map.name),
            "title": JSONValue(map.title),
            "itemType": "map",
            "extent": ["spatial": ["bbox": [rounded], "crs": JSONValue(TileMatrixSetDocument.crs84URI)]],
            "crs": [JSONValue(TileMatrixSetDocument.crs84URI)],
            "links": .array(links),
        ]
        if let description = map.configuration.title { document[member: "description"] = JSONValue(description) }
        if !map.attribution.isEmpty { document[member: "attribution"] = JSONValue(map.attribution) }
        return document
    }

    /// `self` in the format served and `alternate` in the other one.
    func selfLinks(_ base: String, _ path: String, format: OGCResponseFormat, title: String) -> [JSONValue] {
        let json = link(base + path + "?f=json", rel: format == .json ? "self" : "alternate", type: "application/json", title: title + " as JSON")
        let html = link(base + path + "?f=html", rel: format == .html ? "self" : "alternate", type: "text/html", title: title + " as HTML")
        return format == .json ? [json, html] : [html, json]
    }

    func link(_ href: String, rel: String, type: String = "application/json", title: String? = nil) -> JSONValue {
        var link: JSONValue = ["href": JSONValue(href), "rel": JSONValue(rel), "type": JSONValue(type)]
        if let title { link[member: "title"] = JSONValue(title) }
        return link
    }

    func respond(_ document: JSONValue, title: String, format: OGCResponseFormat) -> Response {
        switch format {
        case .json:
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            headers[.accessControlAllowOrigin] = "*"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document.text)))
        case .html: return MapController.html(OGCHTMLPage.render(title: title, document: document))
        }
    }

    /// The OGC API base, e.g. `http://host:port/ogcapi`, from the same guarded Host as TileJSON.
    func baseURL(_ request: Request) -> String {
        MapController(engine: engine, fallbackHost: fallbackHost).baseURL(request) + Self.prefix
    }

    func loadedMap(_ context: Context) async throws -> LoadedMap {
        let name = context.parameters.get("map") ?? ""
        guard MapConfiguration.isValidName(name) else { throw EngineError(.notFound, "no such collection") }
        return try await engine.map(named: name)
    }

    func knownGrid(_ identifier: String) throws -> TileGrid {
        guard let grid = engine.knownGrids.first(where: { $0.identifier == identifier }) else {
            throw EngineError(.notFound, "no such tile matrix set")
        }
        return grid
    }

    func mapGrid(_ map: LoadedMap, _ identifier: String) async throws -> TileGrid {
        guard let grid = try await engine.grids(for: map.name).first(where: { $0.identifier == identifier }) else {
            throw EngineError(.notFound, "the collection is not offered in that tile matrix set")
        }
        return grid
    }
}

/// OGC link relation types used by the OGC API documents.
enum OGCRel {
    static let conformance = "conformance"
    static let ogcConformance = "http://www.opengis.net/def/rel/ogc/1.0/conformance"
    static let tilingSchemes = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
    static let tilingScheme = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
    static let data = "http://www.opengis.net/def/rel/ogc/1.0/data"
    static let tilesetsMap = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-map"
    static let geodata = "http://www.opengis.net/def/rel/ogc/1.0/geodata"
}
