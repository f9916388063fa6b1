@testable import CairnConfiguration
import CairnCore
import CairnEngine
import CairnVectorTile
import CairnZlib
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer
import CairnTestSupport

/// The `.pbf` route, the vector TileJSON and the client style, in process.
struct VectorTileRouteTests {
    /// The z13 tile holding the "Hải Phòng" place (106.6826, 20.8561) of the mini fixture.
    static let place = (longitude: 106.6826, latitude: 20.8561)
    static let tile = VectorFixtures.tile(containing: place, z: 13)
    var uri: String { "/maps/mini/\(Self.tile.z)/\(Self.tile.x)/\(Self.tile.y).pbf" }

    @Test func gzipWhenAcceptedWithCachingHeaders() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip, deflate, br"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/vnd.mapbox-vector-tile")
                #expect(response.headers[.contentEncoding] == "gzip")
                #expect(response.headers[.vary] == "Accept-Encoding")
                #expect(response.headers[.cacheControl] == "public, max-age=600")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(response.headers[HTTPField.Name("X-Cairn-Cache")!] == "MISS")
                let body = Array(response.body.readableBytesView)
                #expect(Zlib.isGzip(body))
                let tile = try VectorTileDecoder.decode(try Zlib.decompress(body))
                #expect(Set(tile.layers.map(\.name)) == ["shapes", "places"])
            }
            try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip"]) { response in
                #expect(response.headers[HTTPField.Name("X-Cairn-Cache")!] == "HIT")
            }
        }
        try await engine.shutdown()
    }

    @Test func plainWithoutAcceptEncoding() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let gzipped = try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip"]) {
                (Array($0.body.readableBytesView), $0.headers[.eTag])
            }
            for headers: HTTPFields in [[:], [.acceptEncoding: "identity"], [.acceptEncoding: "gzip;q=0, *"]] {
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentEncoding] == nil)
                    #expect(response.headers[.vary] == "Accept-Encoding")
                    let body = Array(response.body.readableBytesView)
                    #expect(!Zlib.isGzip(body))
                    let inflated = try Zlib.decompress(gzipped.0)
                    #expect(body == inflated)
                    #expect(response.headers[.eTag] != gzipped.1, "each content coding has its own validator")
                }
            }
        }
        try await engine.shutdown()
    }

    @Test func ifNoneMatchGivesNotModifiedPerEncoding() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            for accept in ["gzip", "identity"] {
                let etag = try #require(try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: accept]) { $0.headers[.eTag] })
                try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: accept, .ifNoneMatch: etag]) { response in
                    #expect(response.status == .notModified)
                    #expect(response.body.readableBytes == 0)
                    #expect(response.headers[.eTag] == etag)
                }
                try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: accept, .ifNoneMatch: "\"other\""]) { response in
                    #expect(response.status == .ok)
                }
            }
        }
        try await engine.shutdown()
    }

    @Test(arguments: [
        ("/maps/mini/21/0/0.pbf", HTTPResponse.Status.notFound),
        ("/maps/mini/99/0/0.pbf", .notFound),
        ("/maps/mini/3/8/0.pbf", .notFound),
        ("/maps/mini/3/0/8.pbf", .notFound),
        ("/maps/nope/3/0/0.pbf", .notFound),
        ("/maps/mini/100/0/0.pbf", .badRequest),
        ("/maps/mini/-1/0/0.pbf", .badRequest),
        ("/maps/mini/013/0/0.pbf", .badRequest),
        ("/maps/mini/3/0/0@2x.pbf", .badRequest),
        ("/maps/mini/3/0/1e3.pbf", .badRequest),
        ("/maps/mini/3/x/0.pbf", .badRequest),
    ])
    func malformedOrOutOfRange(path: String, status: HTTPResponse.Status) async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == status, "\(path)")
                #expect(response.headers[.cacheControl] == "no-store")
            }
        }
        try await engine.shutdown()
    }

    @Test func onlyTheAttributesTheStyleUses() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let tile = try await VectorFixtures.decodedTile(client, uri: uri)
            let shapes = try #require(tile.layer(named: "shapes"))
            let places = try #require(tile.layer(named: "places"))
            #expect(!shapes.features.isEmpty && !places.features.isEmpty)
            // The data has `ten` on shapes and `rank` on places; no style layer reads them.
            for feature in shapes.features { #expect(Set(feature.properties.keys).isSubset(of: ["kind", "highway"]), "\(feature.properties)") }
            for feature in places.features { #expect(Set(feature.properties.keys) == ["ten"], "\(feature.properties)") }
            #expect(shapes.features.contains { $0.properties["kind"] == .string("land") })
            #expect(shapes.features.contains { $0.properties["highway"] == .string("primary") })
        }
        try await engine.shutdown()
    }

    @Test func featuresLandWhereTheDataIs() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let tile = try await VectorFixtures.decodedTile(client, uri: uri)
            let places = try #require(tile.layer(named: "places"))
            let haiPhong = try #require(places.features.first { $0.properties["ten"] == .string("Hải Phòng") })
            guard case .points(let points) = haiPhong.geometry, let point = points.first else {
                Issue.record("expected a point, got \(haiPhong.geometry)")
                return
            }
            #expect(haiPhong.type == .point)
            let location = VectorFixtures.location(of: point, in: Self.tile, extent: places.extent)
            // One extent unit at z13 is about 1.2 m, about 1e-5 degrees.
            #expect(abs(location.longitude - Self.place.longitude) < 2e-5)
            #expect(abs(location.latitude - Self.place.latitude) < 2e-5)
            // The land polygon's hole (106.66–106.68, 20.85–20.865) is a ring of its own, inside the exterior.
            let land = try #require(tile.layer(named: "shapes")?.features.first { $0.properties["kind"] == .string("land") })
            #expect(land.type == .polygon)
            guard case .polygons(let polygons) = land.geometry else { Issue.record("expected a polygon"); return }
            #expect(polygons.count == 1 && polygons.first?.count == 2)
            if let hole = polygons.first?.last {
                let corners = hole.map { VectorFixtures.location(of: $0, in: Self.tile, extent: 4096) }
                #expect(abs((corners.map(\.longitude).min() ?? 0) - 106.66) < 2e-5)
                #expect(abs((corners.map(\.latitude).max() ?? 0) - 20.865) < 2e-5)
            }
        }
        try await engine.shutdown()
    }

    @Test func concurrentMissesEncodeOnce() async throws {
        let engine = ServerFixtures.engine()
        let before = engine.vectorEncodeCount
        try await ServerFixtures.application(engine).test(.router) { client in
            let uri = self.uri
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await client.execute(uri: uri, method: .get) { $0.status } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok })
        }
        #expect(engine.vectorEncodeCount - before == 1)
        try await engine.shutdown()
    }

    @Test func vectorTileJSONListsTheLayers() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: "/maps/mini/vector.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect(json["tilejson"] as? String == "3.0.0")
                #expect(json["format"] as? String == "pbf")
                let tiles = try #require(json["tiles"] as? [String])
                #expect(tiles.count == 1 && tiles[0].hasPrefix("http://") && tiles[0].hasSuffix("/maps/mini/{z}/{x}/{y}.pbf"))
                #expect(json["minzoom"] as? Int == 0 && json["maxzoom"] as? Int == 20)
                let layers = try #require(json["vector_layers"] as? [[String: Any]])
                #expect(layers.compactMap { $0["id"] as? String } == ["shapes", "places"])
                let shapes = try #require(layers.first)
                #expect(shapes["fields"] as? [String: String] == ["kind": "String", "highway": "String"])
                #expect(shapes["minzoom"] as? Int == 0 && shapes["maxzoom"] as? Int == 20)
                #expect(layers.last?["fields"] as? [String: String] == ["ten": "String"])
            }
        }
        try await engine.shutdown()
    }

    @Test func clientStyleDrawsFromTheVectorTiles() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let tileJSON = try await client.execute(uri: "/maps/mini/vector.json", method: .get) {
                try JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [String: Any]
            }
            let vectorLayers = Set(((tileJSON?["vector_layers"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
            try await client.execute(uri: "/maps/mini/style.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let style = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect(style["version"] as? Int == 8)
                let sources = try #require(style["sources"] as? [String: [String: Any]])
                #expect(Array(sources.keys) == ["cairn"])
                #expect(sources["cairn"]?["type"] as? String == "vector")
                let url = try #require(sources["cairn"]?["url"] as? String)
                #expect(url.hasPrefix("http://") && url.hasSuffix("/maps/mini/vector.json"))
                // Cairn's own glyph ranges, so the symbol layers stay.
                let glyphs = try #require(style["glyphs"] as? String)
                #expect(glyphs.hasPrefix("http://") && glyphs.hasSuffix("/fonts/{fontstack}/{range}.pbf"))
                let layers = try #require(style["layers"] as? [[String: Any]])
                #expect(layers.compactMap { $0["id"] as? String } == ["bg", "land", "river", "roads", "place-dots", "place-labels"])
                for layer in layers where layer["type"] as? String != "background" {
                    #expect(layer["source"] as? String == "cairn")
                    let sourceLayer = try #require(layer["source-layer"] as? String)
                    #expect(vectorLayers.contains(sourceLayer), "\(sourceLayer) is not in vector_layers")
                }
                // Filters and paint come through unchanged.
                #expect((layers[1]["filter"] as? [Any])?.count == 3)
                #expect((layers[3]["paint"] as? [String: Any])?["line-gap-width"] as? Int == 0)
                #expect((style["metadata"] as? [String: Any])?["cairn:omitted-layers"] == nil)
            }
        }
        try await engine.shutdown()
    }

    @Test(.interop) func cacheFileIsAVectorMBTiles() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            _ = try await client.execute(uri: uri, method: .get) { $0.status }
        }
        let file = engine.configuration.cacheDirectory + "/mini.pbf.mbtiles"
        #expect(FileManager.default.fileExists(atPath: file))
        let format = try VectorFixtures.sqlite(file, "SELECT value FROM metadata WHERE name = 'format'")
        #expect(format == "pbf")
        let json = try VectorFixtures.sqlite(file, "SELECT value FROM metadata WHERE name = 'json'")
        let metadata = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((metadata["vector_layers"] as? [[String: Any]])?.count == 2)
        // Stored gzip-compressed (the MBTiles vector convention): 1f 8b.
        let magic = try VectorFixtures.sqlite(file, "SELECT hex(substr(tile_data, 1, 2)) FROM tiles")
        #expect(magic == "1F8B")
        try await engine.shutdown()
    }

    @Test func viewerOffersTheVectorModeOrSaysWhyNot() async throws {
        let engine = ServerFixtures.engine()
        let missing = MapLibreAssets(directory: "/nonexistent/maplibre")
        try await buildApplication(engine: engine, host: "127.0.0.1", port: 0, maplibre: missing).test(.router) { client in
            try await client.execute(uri: "/maps/mini", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("id=\"mode-vector\""))
                #expect(page.contains("disabled"))
                #expect(page.contains("Vector mode off: MapLibre GL JS is not installed"))
            }
            try await client.execute(uri: "/assets/maplibre-gl.js", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        let fake = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-maplibre-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: fake, withIntermediateDirectories: true)
        try "window.maplibregl = {};".write(toFile: fake + "/maplibre-gl.js", atomically: true, encoding: .utf8)
        try ".maplibregl-map{}".write(toFile: fake + "/maplibre-gl.css", atomically: true, encoding: .utf8)
        let present = MapLibreAssets(directory: fake)
        try await buildApplication(engine: engine, host: "127.0.0.1", port: 0, maplibre: present).test(.router) { client in
            try await client.execute(uri: "/maps/mini", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("\"style\":\"/maps/mini/style.json\""))
                #expect(!page.contains("Vector mode off"))
                #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("worker-src blob:") == true)
            }
            try await client.execute(uri: "/assets/maplibre-gl.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(String(buffer: response.body) == "window.maplibregl = {};")
            }
            try await client.execute(uri: "/assets/maplibre-gl.css", method: .get, headers: [.acceptEncoding: "gzip"]) { response in
                #expect(response.headers[.contentEncoding] == "gzip")
                let inflated = try Zlib.decompress(Array(response.body.readableBytesView))
                #expect(inflated == Array(".maplibregl-map{}".utf8))
            }
            try await client.execute(uri: "/assets/other.js", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        try await engine.shutdown()
    }

    @Test(arguments: [
        (["gzip"], true), (["gzip, deflate, br"], true), (["br;q=1.0, gzip;q=0.8"], true), (["x-gzip"], true),
        (["*"], true), ([], false), (["identity"], false), (["gzip;q=0"], false), (["gzip;q=0, *"], false),
        (["deflate", "gzip"], true), (["GZIP"], true),
    ])
    func acceptEncoding(values: [String], gzip: Bool) {
        #expect(VectorTileController.acceptsGzip(values) == gzip)
    }
}

/// Helpers for vector tile tests.
enum VectorFixtures {
    static func tile(containing place: (longitude: Double, latitude: Double), z: Int) -> TileCoordinate {
        let n = Double(1 << z)
        let x = Int((place.longitude + 180) / 360 * n)
        let radians = place.latitude * .pi / 180
        let y = Int((1 - log(tan(radians) + 1 / cos(radians)) / .pi) / 2 * n)
        return TileCoordinate(z: z, x: x, y: y)
    }

    /// Tile coordinates (x right, y down, 0...extent) to degrees.
    static func location(of point: Point, in tile: TileCoordinate, extent: Int) -> (longitude: Double, latitude: Double) {
        let bounds = TileGrid.webMercator.bounds(of: tile)
        let x = bounds.minX + point.x / Double(extent) * bounds.width
        let y = bounds.maxY - point.y / Double(extent) * bounds.height
        return WebMercator.unproject(Point(x, y))
    }

    static func decodedTile(_ client: some TestClientProtocol, uri: String) async throws -> VectorTile {
        let body = try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip"]) { response in
            #expect(response.status == .ok)
            return Array(response.body.readableBytesView)
        }
        return try VectorTileDecoder.decode(try Zlib.decompress(body))
    }

    /// One value from the sqlite3 command-line tool (an independent reader of the cache file).
    static func sqlite(_ file: String, _ query: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-readonly", file, query]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A style edit makes cached vector tiles stale, as for PNG tiles.
struct VectorTileStalenessTests {
    @Test(.interop) func aStyleEditReencodesWithTheNewAttributes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-mvt-stale-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fixtures = URL(fileURLWithPath: ServerFixtures.miniStyle).deletingLastPathComponent().path
        for name in ["style.json", "shapes.geojson", "places.geojson"] {
            try FileManager.default.copyItem(atPath: fixtures + "/" + name, toPath: folder + "/" + name)
        }
        let configuration = CairnConfiguration(cacheDirectory: folder + "/cache",
                                               maps: [MapConfiguration(name: "mini", stylePath: folder + "/style.json")])
        let engine = TileEngine(configuration: configuration, renderThreads: 1)
        let tile = VectorTileRouteTests.tile
        let uri = "/maps/mini/\(tile.z)/\(tile.x)/\(tile.y).pbf"
        try await buildApplication(engine: engine, host: "127.0.0.1", port: 0).test(.router) { client in
            let first = try await VectorFixtures.decodedTile(client, uri: uri)
            #expect(first.layer(named: "places")?.features.allSatisfy { $0.properties["rank"] == nil } == true)
            try await client.execute(uri: uri, method: .get) { #expect($0.headers[HTTPField.Name("X-Cairn-Cache")!] == "HIT") }
            // Dots sized by rank: the tiles must now carry `rank`.
            var style = try String(contentsOfFile: folder + "/style.json", encoding: .utf8)
            style = style.replacingOccurrences(of: "\"circle-radius\": 4", with: "\"circle-radius\": [\"get\", \"rank\"]")
            try style.write(toFile: folder + "/style.json", atomically: true, encoding: .utf8)
            // The style file is looked at at most once a second: ask until the edit is noticed (a MISS).
            let missed = try await Wait.until(timeout: .seconds(10), interval: .milliseconds(50)) {
                try await client.execute(uri: uri, method: .get) { $0.headers[HTTPField.Name("X-Cairn-Cache")!] == "MISS" }
            }
            #expect(missed, "the style edit was not noticed within 10 s")
            let second = try await VectorFixtures.decodedTile(client, uri: uri)
            #expect(second.layer(named: "places")?.features.allSatisfy { $0.properties["rank"] != nil } == true)
        }
        // The old tile is kept, marked stale, in the same file.
        let stale = try VectorFixtures.sqlite(folder + "/cache/mini.pbf.mbtiles", "SELECT count(*) FROM map WHERE stale = 1")
        #expect(stale == "0", "re-encoded tiles replace their stale rows")
        try await engine.shutdown()
    }
}

/// `cairn expire` (TileEngine.expire) marks vector tiles stale with the raster ones.
struct VectorTileExpiryTests {
    @Test func expiredVectorTilesAreReencoded() async throws {
        let engine = ServerFixtures.engine()
        let tile = VectorTileRouteTests.tile
        let uri = "/maps/mini/\(tile.z)/\(tile.x)/\(tile.y).pbf"
        try await ServerFixtures.application(engine).test(.router) { client in
            _ = try await client.execute(uri: uri, method: .get) { $0.status }
            try await client.execute(uri: uri, method: .get) { #expect($0.headers[HTTPField.Name("X-Cairn-Cache")!] == "HIT") }
            let result = try await engine.expire(map: "mini", ExpireRequest(zooms: tile.z...tile.z, tiles: [tile]))
            #expect(result.tiles == 1)
            try await client.execute(uri: uri, method: .get) { #expect($0.headers[HTTPField.Name("X-Cairn-Cache")!] == "MISS") }
        }
        try await engine.shutdown()
    }
}
