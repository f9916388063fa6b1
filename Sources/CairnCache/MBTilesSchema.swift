import CairnSQLite

/// The tables of a Cairn MBTiles cache.
///
/// ```
/// metadata(name, value)                                     -- MBTiles 1.3
/// map(zoom_level, tile_column, tile_row,                    -- TMS rows
///     tile_id TEXT NOT NULL, fingerprint TEXT NOT NULL,
///     stale INTEGER NOT NULL DEFAULT 0, created_at INTEGER) -- milliseconds since 1970
/// images(tile_id TEXT PRIMARY KEY, tile_data BLOB NOT NULL, -- each distinct image once
///     cairn_crc32 INTEGER)                                  -- CRC-32 of tile_data, checked on read
/// VIEW tiles(zoom_level, tile_column, tile_row, tile_data)  -- map JOIN images, for readers
/// cairn_failures(zoom_level, tile_column, tile_row,         -- TMS rows, like map
///     reason TEXT, failed_at INTEGER)
/// ```
/// `map_tile_id` makes "is this image still used?" a lookup; the partial `map_stale` index
/// makes listing and counting stale tiles cost what there is to list.
enum MBTilesSchema {
    /// `user_version` of this layout.
    static let version = 2

    static let tables = """
        PRAGMA application_id = 1297105496;
        PRAGMA user_version = \(version);
        CREATE TABLE IF NOT EXISTS metadata (name TEXT, value TEXT);
        CREATE UNIQUE INDEX IF NOT EXISTS metadata_name ON metadata (name);
        CREATE TABLE IF NOT EXISTS map (
            zoom_level INTEGER NOT NULL,
            tile_column INTEGER NOT NULL,
            tile_row INTEGER NOT NULL,
            tile_id TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            stale INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER,
            PRIMARY KEY (zoom_level, tile_column, tile_row)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS map_tile_id ON map (tile_id);
        CREATE INDEX IF NOT EXISTS map_stale ON map (zoom_level, tile_column, tile_row) WHERE stale = 1;
        CREATE TABLE IF NOT EXISTS images (
            tile_id TEXT PRIMARY KEY,
            tile_data BLOB NOT NULL,
            cairn_crc32 INTEGER
        ) WITHOUT ROWID;
        CREATE VIEW IF NOT EXISTS tiles AS
            SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,
                   map.tile_row AS tile_row, images.tile_data AS tile_data
            FROM map JOIN images ON images.tile_id = map.tile_id;
        CREATE TABLE IF NOT EXISTS cairn_failures (
            zoom_level INTEGER NOT NULL,
            tile_column INTEGER NOT NULL,
            tile_row INTEGER NOT NULL,
            reason TEXT,
            failed_at INTEGER,
            PRIMARY KEY (zoom_level, tile_column, tile_row)
        ) WITHOUT ROWID;
        """

    /// Per-connection scratch: the image ids a write released, checked for orphans at its end.
    static let connectionTables = """
        CREATE TEMP TABLE IF NOT EXISTS cairn_released (tile_id TEXT PRIMARY KEY) WITHOUT ROWID;
        """

    /// Creates the tables that are missing, after checking the file holds nothing else under
    /// their names. Call inside a write transaction.
    static func create(on connection: SQLiteConnection, path: String) throws {
        let objects = try connection.prepare("SELECT name, type FROM sqlite_master WHERE name IN ('tiles', 'map', 'images', 'cairn_tiles')")
        var found: [String: String] = [:]
        while try objects.step() {
            if let name = objects.string(0) { found[name] = objects.string(1) ?? "" }
        }
        objects.reset()
        if found["cairn_tiles"] != nil {
            throw MBTilesError(.notACache, path: path, "the file has the single-table layout of an earlier Cairn build (cairn_tiles); delete it and the cache is rebuilt")
        }
        if let kind = found["tiles"], kind != "view" {
            throw MBTilesError(.notACache, path: path, "the file has its own `tiles` \(kind); expected a Cairn cache (a `tiles` view over map and images)")
        }
        if found["map"] != nil {
            let columns = try connection.prepare("SELECT name FROM pragma_table_info('map')")
            var names: Set<String> = []
            while try columns.step() { if let name = columns.string(0) { names.insert(name) } }
            columns.reset()
            let expected: Set<String> = ["zoom_level", "tile_column", "tile_row", "tile_id", "fingerprint", "stale"]
            guard expected.isSubset(of: names) else {
                throw MBTilesError(.notACache, path: path, "the file's `map` table lacks \(expected.subtracting(names).sorted().joined(separator: ", ")); expected a Cairn cache")
            }
        } else if found["tiles"] != nil || found["images"] != nil {
            throw MBTilesError(.notACache, path: path, "the file has a `tiles` view or `images` table but no Cairn `map` table; expected a Cairn cache")
        }
        try connection.execute(tables)
        // Files from builds before checksums: their images keep a NULL CRC (checked structurally).
        if try !columns(of: "images", on: connection).contains(checksumColumn) {
            try connection.execute("ALTER TABLE images ADD COLUMN \(checksumColumn) INTEGER")
        }
    }

    /// The column of `images` holding each image's CRC-32.
    static let checksumColumn = "cairn_crc32"

    /// Checks, without changing anything, that the file holds a Cairn cache to read tiles from
    /// (for a file opened read-only); returns whether its images carry checksums.
    static func checkReadable(on connection: SQLiteConnection, path: String) throws -> Bool {
        let map = try columns(of: "map", on: connection)
        let expected: Set<String> = ["zoom_level", "tile_column", "tile_row", "tile_id", "fingerprint", "stale"]
        guard expected.isSubset(of: map) else {
            throw MBTilesError(.notACache, path: path, map.isEmpty ? "the file has no `map` table; expected a Cairn cache"
                               : "the file's `map` table lacks \(expected.subtracting(map).sorted().joined(separator: ", ")); expected a Cairn cache")
        }
        let images = try columns(of: "images", on: connection)
        guard images.isSuperset(of: ["tile_id", "tile_data"]) else {
            throw MBTilesError(.notACache, path: path, "the file has no `images` table with tile_id and tile_data; expected a Cairn cache")
        }
        return images.contains(checksumColumn)
    }

    private static func columns(of table: String, on connection: SQLiteConnection) throws -> Set<String> {
        let statement = try connection.prepare("SELECT name FROM pragma_table_info('\(table)')")
        defer { statement.reset() }
        var names: Set<String> = []
        while try statement.step() { if let name = statement.string(0) { names.insert(name) } }
        return names
    }
}
