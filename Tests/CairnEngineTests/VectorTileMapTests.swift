@testable import CairnConfiguration
import CairnVectorTile
import CairnCore
import CairnPNG
import CairnRender
import CairnSQLite
import CairnSources
import CairnStyle
import Foundation
import Testing
@testable import CairnEngine

/// Maps whose style reads an MBTiles of vector tiles: loading, grids, the decoded-tile cache,
/// corrupt tiles, and a style that mixes vector tiles with a GeoJSON layer.
struct VectorTileMapTests {
    static let liechtensteinStyle = TestPaths.repositoryRoot.appendingPathComponent("styles/liechtenstein-omt.json").path
    static let haiPhongStyle = TestPaths.repositoryRoot.appendingPathComponent("styles/hai-phong-omt.json").path
    static let liechtensteinTiles = TestPaths.repositoryRoot.appendingPathComponent("data/liechtenstein_omt.mbtiles").path
    static let districts = TestPaths.repositoryRoot.appendingPathComponent("data/hp_districts.geojson").path
    static let haiPhongTiles = TestPaths.repositoryRoot.appendingPathComponent("data/hai_phong_omt.mbtiles").path

    static func pixel(_ image: PNGDecoder.Image, _ x: Int, _ y: Int) -> (Int, Int, Int) {
        let i = (y * image.width + x) * 4
        return (Int(image.rgba[i]), Int(image.rgba[i + 1]), Int(image.rgba[i + 2]))
    }

    @Test func loadsTheStyleSourceFromTheMBTilesMetadata() throws {
        let map = try MapLoader.load(MapConfiguration(name: "li", stylePath: Self.liechtensteinStyle))
        let source = try #require(map.vectorSources["omt"])
        #expect(source.minzoom == 0 && source.maxzoom == 14)
        // As MapLibre: level floor(style zoom); a 256 px XYZ z16 tile is style zoom 15.
        #expect(source.sourceZoom(forStyleZoom: 15) == 14 && source.sourceZoom(forStyleZoom: 9.6) == 9)
        #expect(source.sourceZoom(forStyleZoom: -1) == 0)
        let narrowed = LoadedVectorSource(id: "n", source: source.source, minzoom: 10, maxzoom: 12)
        #expect(narrowed.sourceZoom(forStyleZoom: 9.9) == nil && narrowed.sourceZoom(forStyleZoom: 13) == 12)
        #expect(narrowed.tiles(covering: map.dataBounds, styleZoom: 9).isEmpty, "nothing below minzoom")
        #expect(narrowed.tiles(covering: map.dataBounds, styleZoom: 10).count == 2)
        #expect(map.layers.isEmpty, "vector tile layers are read per metatile, not at load")
        // Bounds come from the metadata.
        #expect(abs(map.geographicBounds.minX - 9.471078) < 1e-6 && abs(map.geographicBounds.maxY - 47.27128) < 1e-6)
        #expect(map.watchedFiles.keys.contains(Self.liechtensteinTiles))
        #expect(map.attribution.contains("OpenStreetMap"))
    }

    @Test func styleMBTilesURLsResolveAgainstTheStyleFile() throws {
        let folder = TestPaths.temporaryFolder()
        let style = """
        {"version": 8, "sources": {
           "a": {"type": "vector", "url": "mbtiles://tiles/li.mbtiles"},
           "b": {"type": "vector", "url": "mbtiles://\(Self.liechtensteinTiles)"},
           "c": {"type": "vector", "url": "tiles/li.mbtiles"}},
         "layers": [{"id": "roads", "type": "line", "source": "a", "source-layer": "transportation"}]}
        """
        let path = folder + "/style.json"
        try style.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/tiles", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.liechtensteinTiles, toPath: folder + "/tiles/li.mbtiles")
        let map = try MapLoader.load(MapConfiguration(name: "t", stylePath: path))
        #expect(map.style.sources["a"]?.resolvedPath == folder + "/tiles/li.mbtiles")
        #expect(map.style.sources["b"]?.resolvedPath == Self.liechtensteinTiles)
        #expect(map.style.sources.values.allSatisfy { $0.isMBTiles })
        #expect(map.vectorSources.keys.sorted() == ["a"], "only sources that layers use are opened")
    }

    @Test func anMBTilesSourceMustBeOfTypeVector() throws {
        let json = #"{"version": 8, "sources": {"a": {"type": "geojson", "data": "mbtiles://x.mbtiles"}}, "layers": []}"#
        #expect { try Style.parse(Data(json.utf8), path: "/tmp/s.json") } throws: { error in
            "\(error)".contains("sources.a.type") && "\(error)".contains("MBTiles")
        }
    }

    @Test func otherGridsAreAConfigurationError() throws {
        #expect { try MapLoader.load(MapConfiguration(name: "li", stylePath: Self.liechtensteinStyle), grid: .vn2000HaiPhong) } throws: { error in
            guard let error = error as? EngineError else { return false }
            return error.code == .invalidConfiguration && error.message.contains("WebMercatorQuad") && error.message.contains("VN2000HaiPhong")
        }
    }

    @Test func aMissingMBTilesFileNamesTheFile() throws {
        let folder = TestPaths.temporaryFolder()
        let path = folder + "/style.json"
        try #"{"version": 8, "sources": {"a": {"type": "vector", "url": "mbtiles://gone.mbtiles"}}, "layers": [{"id": "l", "type": "fill", "source": "a", "source-layer": "water"}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try MapLoader.load(MapConfiguration(name: "t", stylePath: path)) } throws: { error in
            (error as? SourceError)?.code == .notFound && "\(error)".contains(folder + "/gone.mbtiles")
        }
    }

    @Test func decodedTilesAreCachedAndEvictedLeastRecentlyUsedFirst() throws {
        let source = LoadedVectorSource(id: "omt", source: try MBTilesVectorSource(path: Self.liechtensteinTiles),
                                        minzoom: 0, maxzoom: 14, cacheCapacity: 8)
        let address = TileCoordinate(z: 14, x: 8625, y: 5753)
        let first = try #require(source.tile(address))
        let again = try #require(source.tile(address))
        #expect(first.featureCount == again.featureCount)

        var cache = DecodedTileCache(capacity: 4)
        for x in 0..<4 { cache.insert(nil, for: TileCoordinate(z: 1, x: x % 2, y: x / 2)) }
        _ = cache.value(for: TileCoordinate(z: 1, x: 0, y: 0))   // most recent now
        cache.insert(nil, for: TileCoordinate(z: 2, x: 0, y: 0))
        #expect(cache.count <= 4)
        #expect(cache.value(for: TileCoordinate(z: 1, x: 0, y: 0)) != nil, "recently used entry kept")
        #expect(cache.value(for: TileCoordinate(z: 1, x: 1, y: 0)) == nil, "least recently used entry evicted")

        // The feature budget bounds memory whatever the tile count: a dense tile pushes older ones out.
        var budgeted = DecodedTileCache(capacity: 100, featureBudget: first.featureCount + 10)
        budgeted.insert(first, for: address)
        budgeted.insert(first, for: TileCoordinate(z: 14, x: 8626, y: 5753))
        #expect(budgeted.count == 1 && budgeted.featureCount <= first.featureCount + 10)
        #expect(budgeted.value(for: TileCoordinate(z: 14, x: 8626, y: 5753)) != nil)
    }

    @Test func overzoomReadsTheSourcesMaxzoomTilesWithAMargin() throws {
        let map = try MapLoader.load(MapConfiguration(name: "li", stylePath: Self.liechtensteinStyle))
        let source = try #require(map.vectorSources["omt"])
        // One z16 tile and its 64 px buffer lie inside one z14 tile: one source tile.
        let inner = Metatile(containing: TileCoordinate(z: 16, x: 34501, y: 23013), size: 1, in: map.grid)
        let bounds = inner.bounds(in: map.grid)
        let query = bounds.expanded(by: Double(MapRenderer.bufferPixels) * map.grid.resolution(at: 16) * 1.5)
        #expect(source.tiles(covering: query, styleZoom: 15).map(\.coordinate) == [TileCoordinate(z: 14, x: 8625, y: 5753)])
        // A z16 tile on the east edge of its z14 tile needs the neighbour for its buffer.
        let edge = Metatile(containing: TileCoordinate(z: 16, x: 34503, y: 23013), size: 1, in: map.grid)
        let edgeQuery = edge.bounds(in: map.grid).expanded(by: Double(MapRenderer.bufferPixels) * map.grid.resolution(at: 16) * 1.5)
        #expect(source.tiles(covering: edgeQuery, styleZoom: 15).map(\.coordinate.x).sorted() == [8625, 8626])
    }

    @Test func aCorruptSourceTileLeavesAHoleNotAFailure() throws {
        let folder = TestPaths.temporaryFolder()
        let copy = folder + "/li.mbtiles"
        try FileManager.default.copyItem(atPath: Self.liechtensteinTiles, toPath: copy)
        let db = try SQLiteConnection(path: copy, flags: .readWrite)
        let update = try db.prepare("UPDATE tiles SET tile_data = ?1 WHERE zoom_level = 14 AND tile_column = 8625 AND tile_row = ?2")
        try update.bind([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03], at: 1)
        try update.bind((1 << 14) - 1 - 5753, at: 2)
        _ = try update.step()
        #expect(db.changes == 1)
        let style = try String(contentsOfFile: Self.liechtensteinStyle, encoding: .utf8)
            .replacingOccurrences(of: "mbtiles://../data/liechtenstein_omt.mbtiles", with: "mbtiles://li.mbtiles")
        try style.write(toFile: folder + "/style.json", atomically: true, encoding: .utf8)
        let map = try MapLoader.load(MapConfiguration(name: "li", stylePath: folder + "/style.json"))
        // XYZ z15 is drawn at style zoom 14, so it reads the level 14 source tiles (as MapLibre).
        let tile = TileCoordinate(z: 15, x: 17250, y: 11506)
        let tiles = try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 4, in: map.grid), scale: 1)
        #expect(tiles.count == 16)
        // The corrupt tile draws as background only; its neighbour still has roads and more.
        let broken = try PNGDecoder.decode(try #require(tiles[tile]))
        #expect(Set((0..<64).map { Self.pixel(broken, $0 * 4, $0 * 4).0 }).count == 1)
        let neighbour = try PNGDecoder.decode(try #require(tiles[TileCoordinate(z: 15, x: 17249, y: 11506)]))
        #expect(Set((0..<256).map { Self.pixel(neighbour, $0, $0).0 }).count > 5)
    }

    /// One style with the vector tiles of Hải Phòng and the districts GeoJSON drawn on top in magenta.
    @Test func mixesAVectorTileSourceWithAGeoJSONLayer() throws {
        let folder = TestPaths.temporaryFolder()
        let style = """
        {"version": 8, "sources": {
           "omt": {"type": "vector", "url": "mbtiles://\(Self.haiPhongTiles)"},
           "districts": {"type": "geojson", "data": "\(Self.districts)"}},
         "layers": [
           {"id": "bg", "type": "background", "paint": {"background-color": "#ffffff"}},
           {"id": "water", "type": "fill", "source": "omt", "source-layer": "water", "paint": {"fill-color": "#0000ff"}},
           {"id": "roads", "type": "line", "source": "omt", "source-layer": "transportation",
            "paint": {"line-color": "#00ff00", "line-width": 3}},
           {"id": "district-lines", "type": "line", "source": "districts", "paint": {"line-color": "#ff00ff", "line-width": 4}}]}
        """
        try style.write(toFile: folder + "/mixed.json", atomically: true, encoding: .utf8)
        let map = try MapLoader.load(MapConfiguration(name: "mixed", stylePath: folder + "/mixed.json"))
        #expect(map.vectorSources.count == 1 && map.layers.count == 1)
        let tile = TileCoordinate(z: 12, x: 3261, y: 1805)
        let png = try #require(try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 1, in: map.grid), scale: 1)[tile])
        let image = try PNGDecoder.decode(png)
        var colours: [String: Int] = [:]
        for y in 0..<image.height {
            for x in 0..<image.width {
                switch Self.pixel(image, x, y) {
                case (0, 0, 255): colours["water", default: 0] += 1
                case (0, 255, 0): colours["road", default: 0] += 1
                case (255, 0, 255): colours["district", default: 0] += 1
                default: break
                }
            }
        }
        #expect(colours["water", default: 0] > 500, "\(colours)")
        #expect(colours["road", default: 0] > 500, "\(colours)")
        #expect(colours["district", default: 0] > 100, "\(colours)")
    }

    /// A map drawn from vector tiles serves them again as MVT: cut from the one source tile holding
    /// each tile (itself up to the source's maxzoom, its z14 ancestor above), only the style's attributes.
    @Test func servesItsVectorTileSourcesAsVectorTiles() throws {
        let map = try MapLoader.load(MapConfiguration(name: "li", stylePath: Self.liechtensteinStyle))
        let plan = VectorLayerPlan(map: map)
        let z14 = try VectorTileDecoder.decode(VectorTileBuilder.encode(map, plan: plan, tile: TileCoordinate(z: 14, x: 8625, y: 5753)))
        let roads = try #require(z14.layer(named: "transportation"))
        #expect(roads.features.count > 20)
        #expect(roads.features.allSatisfy { $0.properties.keys.allSatisfy { key in plan.layers.contains { $0.attributes.contains(key) } } })
        let z16 = try VectorTileDecoder.decode(VectorTileBuilder.encode(map, plan: plan, tile: TileCoordinate(z: 16, x: 34501, y: 23013)))
        let overzoomed = try #require(z16.layer(named: "transportation"))
        #expect(!overzoomed.features.isEmpty && overzoomed.features.count < roads.features.count)
        // Clipped to the z16 tile and its buffer.
        for feature in overzoomed.features {
            feature.geometry.forEachPoint { point in
                #expect(point.x >= -Double(VectorTileBuilder.buffer) - 1 && point.x <= Double(VectorTileBuilder.extent + VectorTileBuilder.buffer) + 1)
            }
        }
    }
}
