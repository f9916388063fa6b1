import CairnCore
import CairnSQLite
import CairnVectorTile
import CairnZlib
import Foundation
import Synchronization

/// An MBTiles file of Mapbox Vector Tiles (`format: pbf`), read-only: its metadata and its tiles,
/// decoded (gzip or raw) into Web Mercator features.
///
/// Sendable: the one SQLite connection sits behind a mutex, and a tile read is a single indexed
/// lookup, so renders on several threads share it cheaply.
public final class MBTilesVectorSource: Sendable {
    /// The MBTiles file.
    public let path: String
    public let metadata: MBTilesVectorMetadata
    private let database: Mutex<TileStatement>

    /// The connection and its prepared tile lookup; confined to the mutex.
    private final class TileStatement {
        let connection: SQLiteConnection
        let statement: SQLiteStatement
        init(connection: SQLiteConnection, statement: SQLiteStatement) {
            self.connection = connection
            self.statement = statement
        }
    }

    /// Opens the file read-only and reads its metadata.
    /// - Throws: `SourceError` naming the file: `.notFound`, `.unsupportedFormat` when it is not an
    ///   MBTiles file or its tiles are not `pbf`, `.malformed` for broken metadata.
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw SourceError(.notFound, path: path, "MBTiles file not found")
        }
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: path, flags: .readOnly)
        } catch let error as SQLiteError {
            throw SourceError(.databaseError, path: path, "cannot open as SQLite: \(error.message)")
        }
        var rows: [String: String] = [:]
        let statement: SQLiteStatement
        do {
            let names = try connection.prepare("SELECT name FROM sqlite_master WHERE name IN ('metadata', 'tiles')")
            var found: Set<String> = []
            while try names.step() { if let name = names.string(0) { found.insert(name) } }
            guard found == ["metadata", "tiles"] else {
                throw SourceError(.unsupportedFormat, path: path, "not an MBTiles file: expected a metadata table and a tiles table or view")
            }
            let query = try connection.prepare("SELECT name, value FROM metadata")
            while try query.step() {
                if let name = query.string(0), let value = query.string(1) { rows[name] = value }
            }
            statement = try connection.prepare(
                "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3")
        } catch let error as SQLiteError {
            // SQLITE_NOTADB and friends: not a database at all.
            throw SourceError(.unsupportedFormat, path: path, "not an MBTiles file: \(error.message)")
        }
        metadata = try MBTilesVectorMetadata(rows: rows, path: path)
        database = Mutex(TileStatement(connection: connection, statement: statement))
    }

    /// The stored bytes of the tile at XYZ `tile` (gzip-compressed or raw), nil when the file has none.
    /// MBTiles stores TMS rows (row 0 at the bottom); this flips `tile.y`.
    public func tileData(_ tile: TileCoordinate) throws -> [UInt8]? {
        guard tile.z >= 0, tile.z < 31, tile.x >= 0, tile.y >= 0, tile.x < 1 << tile.z, tile.y < 1 << tile.z else { return nil }
        let row = (1 << tile.z) - 1 - tile.y
        do {
            return try database.withLock { handle throws -> [UInt8]? in
                let statement = handle.statement
                defer { statement.reset() }
                try statement.bind(tile.z, at: 1)
                try statement.bind(tile.x, at: 2)
                try statement.bind(row, at: 3)
                guard try statement.step() else { return nil }
                return statement.blob(0)
            }
        } catch let error as SQLiteError {
            throw SourceError(.databaseError, path: path, "tile \(tile): \(error.message)")
        }
    }

    /// The decoded tile at XYZ `tile`, features in EPSG:3857 metres; nil when the file has no such tile.
    /// - Throws: `SourceError(.malformed)` naming the file and tile when its bytes are not a valid
    ///   (optionally gzip- or zlib-compressed) vector tile. That is an error for this tile only.
    public func tile(_ tile: TileCoordinate) throws -> VectorSourceTile? {
        guard let bytes = try tileData(tile) else { return nil }
        let decoded: VectorTile
        do {
            decoded = try VectorTileDecoder.decodeMaybeCompressed(bytes)
        } catch {
            throw SourceError(.malformed, path: path, "tile \(tile.z)/\(tile.x)/\(tile.y) is corrupt: \(error)")
        }
        return Self.project(decoded, at: tile)
    }

    /// Converts tile coordinates (0...extent, y down) into Web Mercator metres of the tile's square.
    public static func project(_ tile: VectorTile, at coordinate: TileCoordinate) -> VectorSourceTile {
        let bounds = TileGrid.webMercator.bounds(of: coordinate)
        var layers: [String: [Feature]] = [:]
        for layer in tile.layers {
            let extent = Double(max(layer.extent, 1))
            let scale = bounds.width / extent
            let minX = bounds.minX, maxY = bounds.maxY
            var features: [Feature] = []
            features.reserveCapacity(layer.features.count)
            for feature in layer.features where !feature.geometry.isEmpty {
                let geometry = feature.geometry.mapPoints { Point(minX + $0.x * scale, maxY - $0.y * scale) }
                features.append(Feature(id: feature.id.map { Int64(bitPattern: $0) }, geometry: geometry,
                                        properties: feature.properties))
            }
            layers[layer.name, default: []].append(contentsOf: features)
        }
        return VectorSourceTile(coordinate: coordinate, bounds: bounds, layers: layers)
    }
}
