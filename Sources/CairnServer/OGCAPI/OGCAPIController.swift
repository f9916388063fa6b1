import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// OGC API - Tiles Part 1 (map tilesets) under `/ogcapi`, with OGC API - Common landing page,
/// conformance and collections, and the TMS 2.0 tile matrix set documents. Every document is
/// JSON by default and HTML for `?f=html` or browsers.
struct OGCAPIController<Context: RequestContext>: Sendable {
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

    func register(in router: Router<Context>) {
        let p = Self.prefix
        router.get(RouterPath(p)) { request, _ in try await landingPage(request) }
        router.get(RouterPath(p + "/conformance")) { request, _ in try conformance(request) }
        router.get(RouterPath(p + "/tileMatrixSets")) { request, _ in try tileMatrixSets(request) }
        router.get(RouterPath(p + "/tileMatrixSets/:tms")) { request, context in try tileMatrixSet(request, context) }
        router.get(RouterPath(p + "/collections")) { request, _ in try await collections(request) }
        router.get(RouterPath(p + "/collections/:map")) { request, context in try await collection(request, context) }
        router.get(RouterPath(p + "/collections/:map/map/tiles")) { request, context in try await tilesets(request, context) }
        router.get(RouterPath(p + "/collections/:map/map/tiles/:tms")) { request, context in try await tileset(request, context) }
        router.get(RouterPath(p + "/collections/:map/map/tiles/:tms/:tileMatrix/:tileRow/:tileCol")) { request, context in
            try await tile(request, context)
        }
    }

    // MARK: Resources

    func landingPage(_ request: Request) async throws -> Response {
        let format = try OGCResponseFormat(request)
        let base = baseURL(request)
        let document: [String: Any] = [
            "title": engine.configuration.service.title,
            "description": engine.configuration.service.abstract ?? "Map tiles rendered by Cairn, offered through OGC API - Tiles.",
            "links": selfLinks(base, "", format: format, title: "This document") + [
                link(base + "/conformance", rel: OGCRel.conformance, title: "Conformance classes"),
                link(base + "/conformance", rel: OGCRel.ogcConformance, title: "Conformance classes"),
                link(base + "/tileMatrixSets", rel: OGCRel.tilingSchemes, title: "Tile matrix sets"),
                link(base + "/collections", rel: OGCRel.data, title: "Collections"),
            ],
        ]
        return respond(document, title: "Cairn OGC API", format: format)
    }

    func conformance(_ request: Request) throws -> Response {
        let format = try OGCResponseFormat(request)
        let base = baseURL(request)
        let document: [String: Any] = [
            "conformsTo": Self.conformanceClasses,
            "links": selfLinks(base, "/conformance", format: format, title: "Conformance classes"),
        ]
        return respond(document, title: "Conformance", format: format)
    }

    func tileMatrixSets(_ request: Request) throws -> Response {
        let format = try OGCResponseFormat(request)
        let base = baseURL(request)
        let sets: [[String: Any]] = engine.knownGrids.map { grid in
            var entry: [String: Any] = [
                "id": grid.identifier,
                "title": grid.title,
                "crs": TileMatrixSetDocument.crsObject(grid.crs, isGeographic: grid.isGeographic),
                "links": [link(base + "/tileMatrixSets/" + grid.identifier, rel: "self", title: grid.title)],
            ]
            if let uri = grid.uri { entry["uri"] = uri }
            return entry
        }
        let document: [String: Any] = [
            "tileMatrixSets": sets,
            "links": selfLinks(base, "/tileMatrixSets", format: format, title: "Tile matrix sets"),
        ]
        return respond(document, title: "Tile matrix sets", format: format)
    }

    func tileMatrixSet(_ request: Request, _ context: Context) throws -> Response {
        let format = try OGCResponseFormat(request)
        let grid = try knownGrid(context.parameters.get("tms") ?? "")
        let base = baseURL(request)
        let links = selfLinks(base, "/tileMatrixSets/" + grid.identifier, format: format, title: grid.title)
            .map { $0.compactMapValues { $0 as? String } }
        return respond(TileMatrixSetDocument.encode(grid, links: links), title: grid.title, format: format)
    }

    func collections(_ request: Request) async throws -> Response {
        let format = try OGCResponseFormat(request)
        let base = baseURL(request)
        var list: [[String: Any]] = []
        for name in RequestAccess.visibleMapNames(engine) {
            // A map that cannot load right now is left out of the list; its own URL says why.
            guard let map = try? await engine.map(named: name) else { continue }
            list.append(collectionDocument(map, base: base, format: nil))
        }
        let document: [String: Any] = [
            "collections": list,
            "links": selfLinks(base, "/collections", format: format, title: "Collections"),
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
        let list: [[String: Any]] = grids.map { grid in
            var entry: [String: Any] = [
                "title": "\(map.title) (\(grid.title))",
                "dataType": "map",
                "crs": TileMatrixSetDocument.crsObject(grid.crs, isGeographic: grid.isGeographic),
                "links": [
                    link(base + path + "/" + grid.identifier, rel: "self", title: "\(map.title) in \(grid.title)"),
                    link(base + "/tileMatrixSets/" + grid.identifier, rel: OGCRel.tilingScheme, title: grid.title),
                ],
            ]
            if let uri = grid.uri { entry["tileMatrixSetURI"] = uri }
            return entry
        }
        let document: [String: Any] = [
            "tilesets": list,
            "links": selfLinks(base, path, format: format, title: "Map tilesets of \(map.title)")
                + [link(base + "/collections/" + map.name, rel: OGCRel.geodata, title: map.title)],
        ]
        return respond(document, title: "Map tilesets of \(map.title)", format: format)
    }

    func tileset(_ request: Request, _ context: Context) async throws -> Response {
        let format = try OGCResponseFormat(request)
        let map = try await loadedMap(context)
        let grid = try await mapGrid(map, context.parameters.get("tms") ?? "")
        let base = baseURL(request)
        let path = "/collections/\(map.name)/map/tiles/\(grid.identifier)"
        var limits: [[String: Any]] = []
        let lowest = max(map.configuration.minZoom, 0)
        let highest = min(map.configuration.maxZoom, grid.maxZoom)
        if lowest <= highest {
            for z in lowest...highest {
                let size = grid.matrixSize(at: z)
                limits.append(["tileMatrix": String(z), "minTileRow": 0, "maxTileRow": size.rows - 1,
                               "minTileCol": 0, "maxTileCol": size.columns - 1])
            }
        }
        var itemLink = link(base + path + "/{tileMatrix}/{tileRow}/{tileCol}", rel: "item", type: "image/png",
                            title: "\(map.title) tiles in \(grid.title)")
        itemLink["templated"] = true
        var document: [String: Any] = [
            "title": "\(map.title) (\(grid.title))",
            "dataType": "map",
            "crs": TileMatrixSetDocument.crsObject(grid.crs, isGeographic: grid.isGeographic),
            "tileMatrixSetLimits": limits,
            "links": selfLinks(base, path, format: format, title: "\(map.title) in \(grid.title)") + [
                link(base + "/tileMatrixSets/" + grid.identifier, rel: OGCRel.tilingScheme, title: grid.title),
                link(base + "/collections/" + map.name, rel: OGCRel.geodata, title: map.title),
                itemLink,
            ],
        ]
        if let uri = grid.uri { document["tileMatrixSetURI"] = uri }
        if !map.attribution.isEmpty { document["attribution"] = map.attribution }
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
        let result = try await engine.tile(map: map.name, grid: grid.identifier, coordinate, scale: 1, admission: RequestRenderAdmission.forCurrentRequest)
        return TileController<Context>.response(for: result, maxAgeSeconds: map.configuration.maxAgeSeconds, request: request)
    }

    // MARK: Helpers

    func collectionDocument(_ map: LoadedMap, base: String, format: OGCResponseFormat?) -> [String: Any] {
        let b = map.geographicBounds
        let rounded = [b.minX, b.minY, b.maxX, b.maxY].map { ($0 * 1e6).rounded() / 1e6 }
        let path = "/collections/" + map.name
        var links: [[String: Any]]
        if let format {
            links = selfLinks(base, path, format: format, title: map.title)
        } else {
            links = [link(base + path, rel: "self", title: map.title)]
        }
        links.append(link(base + path + "/map/tiles", rel: OGCRel.tilesetsMap, title: "Map tilesets of \(map.title)"))
        var document: [String: Any] = [
            "id": map.name,
            "title": map.title,
            "itemType": "map",
            "extent": ["spatial": ["bbox": [rounded], "crs": TileMatrixSetDocument.crs84URI] as [String: Any]],
            "crs": [TileMatrixSetDocument.crs84URI],
            "links": links,
        ]
        if let description = map.configuration.title { document["description"] = description }
        if !map.attribution.isEmpty { document["attribution"] = map.attribution }
        return document
    }

    /// `self` in the format served and `alternate` in the other one.
    func selfLinks(_ base: String, _ path: String, format: OGCResponseFormat, title: String) -> [[String: Any]] {
        let json = link(base + path + "?f=json", rel: format == .json ? "self" : "alternate", type: "application/json", title: title + " as JSON")
        let html = link(base + path + "?f=html", rel: format == .html ? "self" : "alternate", type: "text/html", title: title + " as HTML")
        return format == .json ? [json, html] : [html, json]
    }

    func link(_ href: String, rel: String, type: String = "application/json", title: String? = nil) -> [String: Any] {
        var link: [String: Any] = ["href": href, "rel": rel, "type": type]
        if let title { link["title"] = title }
        return link
    }

    func respond(_ document: [String: Any], title: String, format: OGCResponseFormat) -> Response {
        switch format {
        case .json:
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            headers[.accessControlAllowOrigin] = "*"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONText.data(document))))
        case .html: return MapController<Context>.html(OGCHTMLPage.render(title: title, document: document))
        }
    }

    /// The OGC API base, e.g. `http://host:port/ogcapi`, from the same guarded Host as TileJSON.
    func baseURL(_ request: Request) -> String {
        MapController<Context>(engine: engine, fallbackHost: fallbackHost).baseURL(request) + Self.prefix
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
