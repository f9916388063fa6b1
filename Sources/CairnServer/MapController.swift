import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// The map listing, viewer pages, TileJSON and health.
struct MapController: Sendable {
    typealias Context = CairnRequestContext

    let engine: TileEngine
    let fallbackHost: String
    /// For the viewer's vector mode (MapLibre GL JS); nil or unavailable: raster only.
    var maplibre: MapLibreAssets? = nil
    /// For `/health`: a keys or configuration file that failed to load while serving.
    var access: AccessControl? = nil

    func register(in routes: GuardedRouter) {
        routes.get("/", access: .listing(.maps)) { _, context in try await index(context) }
        routes.get("/maps", access: .listing(.maps)) { request, context in try await mapList(request, context) }
        routes.get("/maps/:map", access: .map(.maps)) { request, context in try await viewer(request, context) }
        routes.get("/maps/:map/tiles.json", access: .map(.maps)) { request, context in try await tileJSON(request, context) }
        routes.get("/health", access: .open) { _, _ in try await health() }
        ViewerAssets.register(in: routes)
    }

    func index(_ context: Context) async throws -> Response {
        var maps: [(name: String, title: String)] = []
        for name in context.access.visibleMapNames(engine) {
            let title = (try? await engine.map(named: name).title) ?? name
            maps.append((name, title))
        }
        return Self.html(ViewerPage.index(maps: maps))
    }

    func mapList(_ request: Request, _ context: Context) async throws -> Response {
        var list: [JSONValue] = []
        for name in context.access.visibleMapNames(engine) {
            guard let map = try? await engine.map(named: name) else { continue }
            list.append(["name": JSONValue(name), "title": JSONValue(map.title),
                         "tilejson": JSONValue(baseURL(request) + "/maps/\(name)/tiles.json"),
                         "viewer": JSONValue(baseURL(request) + "/maps/\(name)/")])
        }
        return Self.json(["maps": .array(list)], cacheControl: "no-cache")
    }

    func viewer(_ request: Request, _ context: Context) async throws -> Response {
        let map = try await loadedMap(context)
        let center = map.center
        let token = context.access.tileToken(for: map.name)
        let page = ViewerPage.html(
            mapName: map.name, title: map.title,
            tileURLTemplate: "/maps/\(map.name)/{z}/{x}/{y}.png" + (token.map { "?token=" + $0 } ?? ""),
            center: (lon: center.longitude, lat: center.latitude), zoom: center.zoom,
            minZoom: map.configuration.minZoom, maxZoom: map.configuration.maxZoom,
            attribution: map.attribution,
            vector: ViewerPage.VectorMode(map: map.name, unavailableReason: maplibre == nil ? "MapLibre GL JS is not installed on this server" : maplibre?.unavailableReason),
            tileToken: token
        )
        return Self.html(page)
    }

    /// TileJSON 3.0.0; `?scheme=tms` lists the TMS-ordered URLs instead.
    func tileJSON(_ request: Request, _ context: Context) async throws -> Response {
        let map = try await loadedMap(context)
        let tms = request.uri.queryParameters.get("scheme") == "tms"
        let template = tms ? "/tms/1.0.0/\(map.name)/{z}/{x}/{y}.png" : "/maps/\(map.name)/{z}/{x}/{y}.png"
        var document = Self.tileJSONDocument(map, tiles: baseURL(request) + template)
        if tms { document[member: "scheme"] = "tms" }
        return Self.json(document, cacheControl: "public, max-age=60", cors: true)
    }

    static func tileJSONDocument(_ map: LoadedMap, tiles: String) -> JSONValue {
        let b = map.geographicBounds
        let center = map.center
        func micro(_ value: Double) -> JSONValue { JSONValue((value * 1e6).rounded() / 1e6) }
        var document: JSONValue = [
            "tilejson": "3.0.0",
            "name": JSONValue(map.title),
            "scheme": "xyz",
            "tiles": [JSONValue(tiles)],
            "minzoom": JSONValue(map.configuration.minZoom),
            "maxzoom": JSONValue(map.configuration.maxZoom),
            "bounds": [micro(b.minX), micro(b.minY), micro(b.maxX), micro(b.maxY)],
            "center": [micro(center.longitude), micro(center.latitude), JSONValue(center.zoom)],
            "attribution": JSONValue(map.attribution),
            "version": "1.0.0",
            "format": "png",
        ]
        if let description = map.configuration.title { document[member: "description"] = JSONValue(description) }
        return document
    }

    func health() async throws -> Response {
        let status = await engine.mapStatus()
        var maps: [String: JSONValue] = [:]
        var databases: [String: JSONValue] = [:]
        var healthy = true
        for (name, entry) in status {
            if let error = entry.error {
                maps[name] = ["status": entry.fingerprint == nil ? "unavailable" : "degraded", "error": JSONValue(error.prefix(500).description)]
                healthy = false
            } else {
                maps[name] = ["status": entry.fingerprint == nil ? "not loaded" : "ok", "fingerprint": JSONValue(entry.fingerprint ?? "")]
            }
        }
        // A cache file that cannot be used degrades its map (served, but rendered and not stored).
        for cache in Self.worstCacheStatus(engine.cacheStatuses) where status[cache.map] != nil {
            guard var entry = maps[cache.map], case .object = entry else { continue }
            entry[member: "cache"] = JSONValue(cache.state.rawValue)
            // The file's name, not its path: /health is public; the log has the path.
            let file = URL(fileURLWithPath: cache.path).lastPathComponent
            entry[member: "cache_reason"] = JSONValue("\(file): \(cache.reason ?? "")".prefix(500).description)
            if cache.state == .renderThrough {
                entry[member: "status"] = "degraded"
                healthy = false
            }
            maps[cache.map] = entry
        }
        if engine.hasDatabases, await !addDatabases(to: &maps, document: &databases) { healthy = false }
        let files = operatorFiles()
        if files.contains(where: { $0.failed }) { healthy = false }
        var document: JSONValue = ["status": JSONValue(healthy ? "ok" : "degraded"), "maps": JSONValue(sorting: maps), "renders": JSONValue(engine.renderCount)]
        for file in files { document[member: file.key] = file.value }
        // One object per database: its pool's state and, with live edits, its LISTEN connection's.
        if let listeners = databaseListenerHealth() {
            if case .object(let members) = listeners.document {
                for member in members {
                    var entry = databases[member.key] ?? [:]
                    if case .object(let fields) = member.value { for field in fields { entry[member: field.key] = field.value } }
                    databases[member.key] = entry
                }
            }
            if !listeners.healthy { document[member: "status"] = "degraded" }
        }
        if !databases.isEmpty { document[member: "databases"] = JSONValue(sorting: databases) }
        return Self.json(document, cacheControl: "no-store")
    }

    /// Each database's state (display URL, never a password), and its maps degraded while it is
    /// down or while one of their tables cannot be read. Returns whether all is well.
    private func addDatabases(to maps: inout [String: JSONValue], document databases: inout [String: JSONValue]) async -> Bool {
        var healthy = true
        var down: [String: String] = [:]
        for status in engine.databaseStatuses {
            var entry: JSONValue = ["status": JSONValue(status.health.label), "url": JSONValue(status.displayURL)]
            if let reason = status.health.reason {
                entry[member: "reason"] = JSONValue(reason.prefix(500).description)
                down[status.name] = reason
                healthy = false
            }
            databases[status.name] = entry
        }
        func degrade(_ label: String, _ key: String, _ reason: String) {
            guard var entry = maps[label], case .object = entry else { return }
            entry[member: "status"] = "degraded"
            entry[member: key] = JSONValue(reason.prefix(500).description)
            maps[label] = entry
        }
        for use in await engine.postgisTableUses() {
            guard let reason = down[use.database] else { continue }
            let label = use.grid == TileGrid.webMercator.identifier ? use.map : use.map + "@" + use.grid
            degrade(label, "database", "database \(use.database) is down: \(reason)")
        }
        for (map, problem) in engine.postgisMapProblems {
            for label in maps.keys where label == map || label.hasPrefix(map + "@") {
                degrade(label, "data", problem)
                healthy = false
            }
        }
        return healthy
    }

    /// Per map, its cache file in the worst state (render-through over read-only); maps whose
    /// files are all `ok` are left out.
    static func worstCacheStatus(_ statuses: [CacheFileStatus]) -> [CacheFileStatus] {
        func rank(_ state: CacheFileStatus.State) -> Int {
            switch state {
            case .ok: 0
            case .readOnly: 1
            case .renderThrough: 2
            }
        }
        var worst: [String: CacheFileStatus] = [:]
        for status in statuses where status.state != .ok {
            if let known = worst[status.map], rank(known.state) >= rank(status.state) { continue }
            worst[status.map] = status
        }
        return worst.values.sorted { $0.map < $1.map }
    }

    func loadedMap(_ context: Context) async throws -> LoadedMap {
        let name = context.parameters.get("map") ?? ""
        guard MapConfiguration.isValidName(name) else { throw EngineError(.notFound, "no such map") }
        return try await engine.map(named: name)
    }

    /// Scheme and host for absolute URLs in TileJSON. A Host header that is not a plain
    /// host[:port] is ignored, so nothing a client sends can inject text into documents.
    func baseURL(_ request: Request) -> String {
        let host = request.head.authority ?? ""
        let safe = !host.isEmpty && host.count <= 255 && host.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x2D || c == 0x3A || c == 0x5B || c == 0x5D
        }
        return "http://" + (safe ? host : fallbackHost)
    }

    static func html(_ page: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "strict-origin-when-cross-origin"
        headers[HTTPField.Name("Content-Security-Policy")!] = ViewerAssets.contentSecurityPolicy
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func json(_ document: JSONValue, cacheControl: String, cors: Bool = false) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = cacheControl
        if cors { headers[.accessControlAllowOrigin] = "*" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document.text)))
    }
}
