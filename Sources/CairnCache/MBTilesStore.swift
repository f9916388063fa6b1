import CairnCore
import CairnSQLite
import Foundation

/// An MBTiles 1.3 file used as a tile cache.
///
/// Tiles live in `cairn_tiles` (with the ETag, the fingerprint they were rendered from and a
/// timestamp); a `tiles` view exposes the four spec columns, so any MBTiles reader (GDAL,
/// MapLibre tools, `sqlite3`) reads the file as an ordinary tileset.
///
/// The API speaks XYZ (`TileCoordinate`); rows are stored in TMS order, flipped here and only
/// here as `row = 2^z - 1 - y`. That assumes the Web Mercator quad grid (2^z rows at zoom z),
/// which is the only grid MBTiles defines.
///
/// Several stores (threads or processes) may share one file: WAL mode lets readers run beside
/// the single writer, every write is one `BEGIN IMMEDIATE` transaction, and SQLITE_BUSY is
/// retried until `busyTimeout` has passed, so ordinary contention never surfaces as an error.
public final class MBTilesStore: @unchecked Sendable {
    // @unchecked Sendable: the one SQLite connection and its cached statements are used only
    // while `lock` is held, so at most one thread touches them at a time. The connection is also
    // opened with SQLITE_OPEN_FULLMUTEX, so SQLite itself serializes calls as a second line of defence.
    private let lock = NSLock()
    private let connection: SQLiteConnection
    private var statements: [String: SQLiteStatement] = [:]

    /// The database file.
    public let path: String
    /// How long a read or write waits for another connection's lock before it fails.
    public static let busyTimeout: Duration = .seconds(5)

    /// The highest zoom whose rows fit the TMS flip in 64-bit integers with room to spare.
    public static let maximumZoom = 30

    /// Opens the cache at `path`, creating the file, its folder and the schema when missing,
    /// and writes `metadata` (INSERT OR REPLACE, so other rows already there stay).
    public init(path: String, metadata: MBTilesMetadata) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw MBTilesError(.database, path: path, "cannot create folder \(folder.path): \(error.localizedDescription)")
        }
        do {
            connection = try SQLiteConnection(
                path: path, flags: [.readWriteCreate, .fullMutex],
                busyTimeoutMilliseconds: Int32(Self.busyTimeout.components.seconds * 1000))
        } catch let error as SQLiteError {
            throw MBTilesError(.database, path: path, "cannot open: \(error.message)")
        }
        try withRetry {
            // journal_mode answers with a row; WAL persists in the file once set.
            let journal = try connection.prepare("PRAGMA journal_mode = WAL")
            _ = try journal.step()
            try connection.execute("PRAGMA synchronous = NORMAL")
        }
        try withRetry {
            try connection.transaction(.immediate) {
                try createSchema()
                try writeMetadata(metadata.rows)
            }
        }
    }

    // MARK: Reading

    /// The cached tile at `tile` (XYZ), whatever fingerprint it was rendered from.
    public func tile(_ tile: TileCoordinate) throws -> CachedTile? {
        let row = try tmsRow(tile)
        return try locked {
            try withRetry {
                try query("SELECT tile_data, etag, fingerprint FROM cairn_tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?") { statement in
                    try statement.bind(tile.z, at: 1)
                    try statement.bind(tile.x, at: 2)
                    try statement.bind(row, at: 3)
                    return try Self.cachedTile(statement)
                }
            }
        }
    }

    /// The cached tile at `tile` (XYZ) only when it was rendered from `fingerprint`; a tile from
    /// another fingerprint is stale and never served.
    public func tile(_ tile: TileCoordinate, matching fingerprint: String) throws -> CachedTile? {
        let row = try tmsRow(tile)
        return try locked {
            try withRetry {
                try query("SELECT tile_data, etag, fingerprint FROM cairn_tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ? AND fingerprint = ?") { statement in
                    try statement.bind(tile.z, at: 1)
                    try statement.bind(tile.x, at: 2)
                    try statement.bind(row, at: 3)
                    try statement.bind(fingerprint, at: 4)
                    return try Self.cachedTile(statement)
                }
            }
        }
    }

    /// The number of cached tiles; 0 when the file cannot be read.
    public func count() -> Int {
        (try? locked {
            try withRetry {
                try query("SELECT count(*) FROM cairn_tiles") { statement in
                    try statement.step() ? Int(statement.int64(0)) : 0
                }
            }
        }) ?? 0
    }

    /// The metadata rows; empty when the file cannot be read.
    public func metadata() -> [String: String] {
        (try? locked {
            try withRetry {
                try query("SELECT name, value FROM metadata") { statement in
                    var rows: [String: String] = [:]
                    while try statement.step() {
                        if let name = statement.string(0) { rows[name] = statement.string(1) ?? "" }
                    }
                    return rows
                }
            }
        }) ?? [:]
    }

    // MARK: Writing

    /// Stores `tiles` (XYZ address, encoded image, ETag), all rendered from `fingerprint`,
    /// in one transaction, replacing what was cached at those addresses.
    public func store(_ tiles: [(TileCoordinate, [UInt8], etag: String)], fingerprint: String) throws {
        let rows = try tiles.map { try tmsRow($0.0) }
        let now = Int64(Date().timeIntervalSince1970)
        try locked {
            try withRetry {
                try connection.transaction(.immediate) {
                    let insert = try statement("""
                        INSERT OR REPLACE INTO cairn_tiles (zoom_level, tile_column, tile_row, tile_data, etag, fingerprint, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """)
                    defer { insert.reset() }
                    for (index, (tile, data, etag)) in tiles.enumerated() {
                        insert.reset()
                        try insert.bind(tile.z, at: 1)
                        try insert.bind(tile.x, at: 2)
                        try insert.bind(rows[index], at: 3)
                        try insert.bind(data, at: 4)
                        try insert.bind(etag, at: 5)
                        try insert.bind(fingerprint, at: 6)
                        try insert.bind(now, at: 7)
                        try insert.step()
                    }
                }
            }
        }
    }

    /// Deletes every tile rendered from another fingerprint; returns how many went.
    @discardableResult
    public func removeTiles(notMatching fingerprint: String) throws -> Int {
        try locked {
            try withRetry {
                try query("DELETE FROM cairn_tiles WHERE fingerprint IS NOT ?") { statement in
                    try statement.bind(fingerprint, at: 1)
                    try statement.step()
                    return connection.changes
                }
            }
        }
    }

    /// Deletes every tile; the metadata stays.
    public func removeAll() throws {
        try locked {
            try withRetry { try connection.execute("DELETE FROM cairn_tiles") }
        }
    }

    /// Replaces the metadata rows `metadata` names; other rows stay.
    public func updateMetadata(_ metadata: MBTilesMetadata) throws {
        try updateMetadata(metadata.rows)
    }

    /// Sets (INSERT OR REPLACE) the given metadata rows; other rows stay.
    public func updateMetadata(_ rows: [String: String]) throws {
        try locked {
            try withRetry {
                try connection.transaction(.immediate) { try writeMetadata(rows) }
            }
        }
    }

    // MARK: Internals

    private func createSchema() throws {
        let existing = try connection.prepare("SELECT type FROM sqlite_master WHERE name = ?")
        try existing.bind("tiles", at: 1)
        if try existing.step(), existing.string(0) != "view" {
            throw MBTilesError(.notACache, path: path, "the file has its own `tiles` table; expected a Cairn cache (a `tiles` view over cairn_tiles)")
        }
        existing.reset()
        try connection.execute("""
            PRAGMA application_id = 1297105496;
            CREATE TABLE IF NOT EXISTS metadata (name TEXT, value TEXT);
            CREATE UNIQUE INDEX IF NOT EXISTS metadata_name ON metadata (name);
            CREATE TABLE IF NOT EXISTS cairn_tiles (
                zoom_level INTEGER NOT NULL,
                tile_column INTEGER NOT NULL,
                tile_row INTEGER NOT NULL,
                tile_data BLOB,
                etag TEXT,
                fingerprint TEXT,
                created_at INTEGER,
                PRIMARY KEY (zoom_level, tile_column, tile_row)
            ) WITHOUT ROWID;
            CREATE VIEW IF NOT EXISTS tiles AS
                SELECT zoom_level, tile_column, tile_row, tile_data FROM cairn_tiles;
            """)
    }

    /// Call inside a transaction, with the lock held (or from init).
    private func writeMetadata(_ rows: [String: String]) throws {
        let insert = try statement("INSERT OR REPLACE INTO metadata (name, value) VALUES (?, ?)")
        defer { insert.reset() }
        for (name, value) in rows.sorted(by: { $0.key < $1.key }) {
            insert.reset()
            try insert.bind(name, at: 1)
            try insert.bind(value, at: 2)
            try insert.step()
        }
    }

    /// XYZ y to the TMS row, checking the address lies in the zoom's 2^z by 2^z grid.
    private func tmsRow(_ tile: TileCoordinate) throws -> Int {
        guard (0...Self.maximumZoom).contains(tile.z) else {
            throw MBTilesError(.invalidTile, path: path, "tile \(tile): zoom must be 0-\(Self.maximumZoom)")
        }
        let size = 1 << tile.z
        guard (0..<size).contains(tile.x), (0..<size).contains(tile.y) else {
            throw MBTilesError(.invalidTile, path: path, "tile \(tile): x and y must be 0-\(size - 1) at zoom \(tile.z)")
        }
        return size - 1 - tile.y
    }

    private static func cachedTile(_ statement: SQLiteStatement) throws -> CachedTile? {
        guard try statement.step() else { return nil }
        return CachedTile(data: statement.blob(0), etag: statement.string(1) ?? "", fingerprint: statement.string(2) ?? "")
    }

    /// A cached prepared statement. Call with the lock held.
    private func statement(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        let prepared = try connection.prepare(sql)
        statements[sql] = prepared
        return prepared
    }

    /// Runs a cached statement and resets it afterwards, so no read transaction stays open
    /// (an open one would pin the WAL and keep checkpoints from finishing).
    private func query<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let prepared = try statement(sql)
        prepared.reset()
        prepared.clearBindings()
        defer { prepared.reset() }
        return try body(prepared)
    }

    private func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs `body`, retrying while another connection holds the lock. SQLite's busy handler
    /// already waits inside most calls; this catches the cases it does not cover (WAL recovery,
    /// a lock taken between statements) and turns SQLite errors into `MBTilesError`s.
    private func withRetry<T>(_ body: () throws -> T) throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: Self.busyTimeout)
        var pause = Duration.milliseconds(2)
        while true {
            do {
                return try body()
            } catch let error as SQLiteError {
                if error.isBusy, clock.now < deadline {
                    Thread.sleep(forTimeInterval: Double(pause.components.attoseconds) / 1e18 + Double.random(in: 0...0.002))
                    pause = min(pause * 2, .milliseconds(50))
                    continue
                }
                throw MBTilesError(.database, path: path, "\(error.message) (SQLite code \(error.code))")
            }
        }
    }
}
