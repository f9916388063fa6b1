import CairnCore
import CairnSQLite
import CairnZlib
import Foundation
import Testing
@testable import CairnSources

/// MBTiles files of vector tiles: the two OpenMapTiles-schema files in `data/`, and small broken
/// files written here with real SQLite.
struct MBTilesVectorSourceTests {
    static let dataFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data")
    static let liechtenstein = dataFolder.appendingPathComponent("liechtenstein_omt.mbtiles").path
    static let haiPhong = dataFolder.appendingPathComponent("hai_phong_omt.mbtiles").path

    static func temporaryFile(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-mbtiles-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }

    /// Writes an MBTiles file with the given metadata and tiles (XYZ addresses; stored as TMS rows).
    static func writeMBTiles(_ path: String, metadata: [String: String], tiles: [TileCoordinate: [UInt8]]) throws {
        let db = try SQLiteConnection(path: path, flags: .readWriteCreate)
        try db.execute("CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        let meta = try db.prepare("INSERT INTO metadata VALUES (?1, ?2)")
        for (name, value) in metadata {
            try meta.bind(name, at: 1)
            try meta.bind(value, at: 2)
            _ = try meta.step()
            meta.reset()
        }
        let insert = try db.prepare("INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)")
        for (tile, bytes) in tiles {
            try insert.bind(tile.z, at: 1)
            try insert.bind(tile.x, at: 2)
            try insert.bind((1 << tile.z) - 1 - tile.y, at: 3)
            try insert.bind(bytes, at: 4)
            _ = try insert.step()
            insert.reset()
        }
    }

    @Test func readsTheOpenMapTilesMetadata() throws {
        let source = try MBTilesVectorSource(path: Self.liechtenstein)
        let metadata = source.metadata
        #expect(metadata.format == "pbf")
        #expect(metadata.minzoom == 0 && metadata.maxzoom == 14)
        let bounds = try #require(metadata.bounds)
        #expect(abs(bounds.minX - 9.471078) < 1e-9 && abs(bounds.maxY - 47.27128) < 1e-9)
        #expect(metadata.center?.zoom == 7)
        #expect(metadata.layerNames.count == 16)
        let transportation = try #require(metadata.vectorLayers.first { $0.id == "transportation" })
        #expect(transportation.fields["class"] == "String")
        #expect(transportation.minzoom == 4 && transportation.maxzoom == 14)
    }

    @Test func looksTilesUpWithTheTMSRowFlip() throws {
        let source = try MBTilesVectorSource(path: Self.liechtenstein)
        // The largest z14 tile is stored at TMS row 10625, i.e. XYZ row 16383 - 10625 = 5758.
        let bytes = try #require(try source.tileData(TileCoordinate(z: 14, x: 8624, y: 5758)))
        #expect(bytes.count == 24494)
        #expect(Zlib.isGzip(bytes))
        #expect(try source.tileData(TileCoordinate(z: 14, x: 8624, y: 10625)) == nil)
        #expect(try source.tileData(TileCoordinate(z: 14, x: 0, y: 0)) == nil)
        #expect(try source.tileData(TileCoordinate(z: 3, x: 9, y: 0)) == nil, "outside the zoom level's matrix")
    }

    @Test func decodesTilesIntoWebMercatorFeatures() throws {
        let source = try MBTilesVectorSource(path: Self.liechtenstein)
        let address = TileCoordinate(z: 14, x: 8624, y: 5758)
        let tile = try #require(try source.tile(address))
        let square = TileGrid.webMercator.bounds(of: address)
        #expect(tile.bounds == square)
        let roads = try #require(tile.layers["transportation"])
        #expect(roads.count > 100)
        // Every vertex lies in the tile's square grown by the tile buffer (well under half a tile).
        let grown = square.expanded(by: square.width / 2)
        for feature in roads { feature.geometry.forEachPoint { #expect(grown.contains($0)) } }
        #expect(roads.contains { $0.properties["class"] == .string("primary") })
        let names = tile.layers["transportation_name"]?.compactMap { $0.properties["name:latin"]?.stringValue } ?? []
        #expect(names.contains("Schlossweg"))
    }

    @Test func readsVietnameseNamesFromTheHaiPhongTiles() throws {
        let source = try MBTilesVectorSource(path: Self.haiPhong)
        let tile = try #require(try source.tile(TileCoordinate(z: 14, x: 13047, y: 7221)))
        let names = Set(tile.layers["transportation_name"]?.compactMap { $0.properties["name:latin"]?.stringValue } ?? [])
        #expect(names.contains("Phố Lương Khánh Thiện"))
    }

    @Test func missingFileIsNotFound() {
        #expect { try MBTilesVectorSource(path: "/nonexistent/x.mbtiles") } throws: { error in
            (error as? SourceError)?.code == .notFound && "\(error)".contains("/nonexistent/x.mbtiles")
        }
    }

    @Test func aGeoPackageIsNotAnMBTilesFile() {
        let gpkg = Self.dataFolder.appendingPathComponent("hai_phong_demo.gpkg").path
        #expect { try MBTilesVectorSource(path: gpkg) } throws: { error in
            guard let error = error as? SourceError else { return false }
            return error.code == .unsupportedFormat && error.path == gpkg && error.message.contains("not an MBTiles file")
        }
    }

    @Test func aTextFileIsNotAnMBTilesFile() throws {
        let path = Self.temporaryFile("notes.mbtiles")
        try "just some text, not SQLite at all".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try MBTilesVectorSource(path: path) } throws: { error in
            (error as? SourceError)?.code == .unsupportedFormat && "\(error)".contains(path)
        }
    }

    @Test func rasterMBTilesAreRefused() throws {
        let path = Self.temporaryFile("raster.mbtiles")
        try Self.writeMBTiles(path, metadata: ["format": "png", "minzoom": "0", "maxzoom": "3"], tiles: [:])
        #expect { try MBTilesVectorSource(path: path) } throws: { error in
            guard let error = error as? SourceError else { return false }
            return error.code == .unsupportedFormat && error.message.contains("png") && error.message.contains("pbf")
        }
    }

    @Test func brokenMetadataNamesTheKey() throws {
        let path = Self.temporaryFile("broken.mbtiles")
        try Self.writeMBTiles(path, metadata: ["format": "pbf", "maxzoom": "fourteen"], tiles: [:])
        #expect { try MBTilesVectorSource(path: path) } throws: { error in
            (error as? SourceError)?.code == .malformed && "\(error)".contains("maxzoom") && "\(error)".contains("fourteen")
        }
    }

    @Test func aCorruptTileIsAnErrorForThatTileOnly() throws {
        let path = Self.temporaryFile("corrupt.mbtiles")
        let good = try #require(try MBTilesVectorSource(path: Self.liechtenstein).tileData(TileCoordinate(z: 14, x: 8624, y: 5758)))
        let truncatedGzip = Array(good.prefix(good.count / 2))
        let garbage: [UInt8] = [0x1a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]
        try Self.writeMBTiles(path, metadata: ["format": "pbf", "minzoom": "14", "maxzoom": "14"], tiles: [
            TileCoordinate(z: 14, x: 1, y: 1): good,
            TileCoordinate(z: 14, x: 2, y: 1): truncatedGzip,
            TileCoordinate(z: 14, x: 3, y: 1): garbage,
        ])
        let source = try MBTilesVectorSource(path: path)
        #expect(try source.tile(TileCoordinate(z: 14, x: 1, y: 1))?.layers["transportation"]?.isEmpty == false)
        for x in [2, 3] {
            #expect { try source.tile(TileCoordinate(z: 14, x: x, y: 1)) } throws: { error in
                guard let error = error as? SourceError else { return false }
                return error.code == .malformed && error.path == path && error.message.contains("tile 14/\(x)/1")
            }
        }
        // Still usable after the failures.
        #expect(try source.tile(TileCoordinate(z: 14, x: 1, y: 1)) != nil)
        #expect(try source.tile(TileCoordinate(z: 14, x: 9, y: 9)) == nil)
    }

    @Test func rawUncompressedTilesDecodeToo() throws {
        let gzipped = try #require(try MBTilesVectorSource(path: Self.liechtenstein).tileData(TileCoordinate(z: 14, x: 8624, y: 5758)))
        let raw = try Zlib.decompress(gzipped)
        let path = Self.temporaryFile("raw.mbtiles")
        try Self.writeMBTiles(path, metadata: ["format": "pbf"], tiles: [TileCoordinate(z: 14, x: 8624, y: 5758): raw])
        let source = try MBTilesVectorSource(path: path)
        let fromRaw = try #require(try source.tile(TileCoordinate(z: 14, x: 8624, y: 5758)))
        let fromGzip = try #require(try MBTilesVectorSource(path: Self.liechtenstein).tile(TileCoordinate(z: 14, x: 8624, y: 5758)))
        #expect(fromRaw.featureCount == fromGzip.featureCount)
        #expect(source.metadata.minzoom == 0 && source.metadata.maxzoom == 14, "defaults when the metadata has no zoom range")
    }
}
