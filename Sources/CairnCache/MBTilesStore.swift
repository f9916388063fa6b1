import CairnCore
import CairnSQLite
import CairnZlib
import Foundation

/// An MBTiles 1.3 file used as a tile cache, shared by `cairn serve` and `cairn seed`.
///
/// Layout (the common "map/images split" MBTiles variant, see `MBTilesSchema`): `map` gives each
/// address its `tile_id`, fingerprint, stale flag and timestamp; `images` holds each distinct
/// image once under its `tile_id` (the caller's ETag without quotes, a content hash), so blank
/// and repeated tiles (open sea, empty land) are stored once; the `tiles` view joins them, so
/// GDAL and any MBTiles reader see an ordinary tileset. `cairn_failures` records failed renders.
///
/// The API speaks XYZ (`TileCoordinate`); rows are stored in TMS order (in every table, including
/// `cairn_failures`), flipped here and only here as `row = rows(z) - 1 - y`, with the grid's row
/// count from `matrixSize` (2^z for Web Mercator, the only grid MBTiles itself defines).
///
/// Images are never orphaned: whatever replaces or deletes `map` rows deletes, in the same
/// transaction, the images no row uses any more. Each image is stored with its CRC-32
/// (`cairn_crc32`), returned with every tile read, so the reader can tell a damaged image from
/// a tile (`CachedTile.problem(expecting:)`) before sending it.
///
/// Crash and concurrency safety: WAL mode lets readers run beside the single writer; every write
/// is one `BEGIN IMMEDIATE` transaction (tiles, their failure records and their stale flags commit
/// or vanish together), so a `kill -9` at any moment leaves the last committed state. A writer
/// waits for another connection's lock (SQLite's busy timeout, then a bounded retry with backoff),
/// so ordinary contention between processes never surfaces as "database is locked". Serving reads
/// make one attempt with a short busy timeout and no retry loop: a request waits for them.
///
/// Every call blocks on SQLite: call from a thread pool, never from the cooperative pool or an
/// event loop.
///
/// One writing connection per store, guarded by a lock: a process opens one store per file, and
/// SQLite admits one writer per file at a time anyway, so a second writer would not write faster.
/// Serving reads (`tile(_:)`) use a second connection under a second lock, so they never wait
/// behind a write that is itself waiting for another process.
public final class MBTilesStore: @unchecked Sendable {
    // @unchecked Sendable: the writing connection and its cached statements are used only while
    // `lock` is held, the serving connection and its statements only while `readerLock` is held,
    // so at most one thread touches each at a time. Both are also opened with
    // SQLITE_OPEN_FULLMUTEX, so SQLite itself serializes calls as a second line of defence.
    private let lock = NSLock()
    let connection: SQLiteConnection
    /// A second connection for serving tiles, with its own lock: in WAL mode readers never wait
    /// for writers, so a write on `connection` that waits for another process's write lock
    /// cannot hold up the tiles a server is answering with.
    private let readerLock = NSLock()
    private var reader: SQLiteConnection?
    /// Set (under `readerLock`) once the path names another file: no serving connection is opened any more.
    private var detached = false
    private var readerStatements: [String: SQLiteStatement] = [:]
    private var statements: [String: SQLiteStatement] = [:]

    /// The database file.
    public let path: String
    /// Opened read-only (the file, its folder or its disk cannot be written): tiles are served,
    /// nothing is written. See `init(readingOnly:immutable:matrixSize:)`.
    public let isReadOnly: Bool
    /// The file's images carry a stored CRC-32 (files of older builds opened read-only may not).
    let hasChecksums: Bool
    /// How the serving connection is opened: like the writer, or read-only (and immutable).
    private let readerPath: String
    private let readerFlags: SQLiteConnection.OpenFlags
    /// Columns and rows of the tile grid at a zoom level: the TMS row flip needs the row count.
    /// Web Mercator's `2^z × 2^z` by default.
    public let matrixSize: @Sendable (Int) -> (columns: Int, rows: Int)
    /// How long one SQLite call waits for another connection's lock (SQLite's busy timeout).
    public static let busyTimeout: Duration = .seconds(5)
    /// How long a serving read waits for another connection's lock before it fails: a reader
    /// in WAL mode waits only while a crashed writer's log is recovered.
    public static let readerBusyTimeoutMilliseconds: Int32 = 250
    /// How long a write (or a maintenance read) keeps retrying while other connections hold the lock before it
    /// fails with `.database`: far longer than any one transaction of serve or seed lasts.
    public static let retryWindow: Duration = .seconds(30)

    /// The highest zoom whose rows fit the TMS flip in 64-bit integers with room to spare.
    public static let maximumZoom = 30

    /// The size the write-ahead log is cut back to after each checkpoint that resets it
    /// (`PRAGMA journal_size_limit`): without it the log keeps the largest size it ever reached.
    public static let walSizeLimit = 4 << 20
    /// Pages of WAL after which a commit checkpoints (`PRAGMA wal_autocheckpoint`), about 4 MB.
    public static let walAutocheckpointPages = 1000

    /// Opens the cache at `path`, creating the file, its folder and the schema when missing,
    /// and writes `metadata` (INSERT OR REPLACE, so other rows already there stay).
    /// Throws `.notACache` for an MBTiles or SQLite file of another layout, including the
    /// single-table layout of earlier Cairn builds (delete such a file; it is only a cache).
    public init(path: String, metadata: MBTilesMetadata,
                matrixSize: @escaping @Sendable (Int) -> (columns: Int, rows: Int) = { (1 << $0, 1 << $0) }) throws {
        self.path = path
        self.matrixSize = matrixSize
        isReadOnly = false
        hasChecksums = true
        readerPath = path
        readerFlags = [.readWrite, .fullMutex]
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
            throw MBTilesError(error.isNoSpace ? .noSpace : .database, path: path, "cannot open: \(error.message)", sqliteCode: error.code)
        }
        try withRetry {
            // journal_mode answers with a row; WAL persists in the file once set.
            let journal = try connection.prepare("PRAGMA journal_mode = WAL")
            _ = try journal.step()
            // NORMAL in WAL: a crashed process loses nothing committed; only a power cut may
            // lose the last transactions, never the file's consistency.
            try connection.execute("PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;")
            // A bounded log: checkpoint every ~4 MB of commits, and cut the file back after each
            // checkpoint that resets it (readers holding old snapshots can delay a reset, not undo it).
            try connection.execute("PRAGMA wal_autocheckpoint = \(Self.walAutocheckpointPages); PRAGMA journal_size_limit = \(Self.walSizeLimit);")
            try connection.execute(MBTilesSchema.connectionTables)
        }
        try withRetry {
            try connection.transaction(.immediate) {
                try MBTilesSchema.create(on: connection, path: path)
                try writeMetadata(metadata.rows)
            }
        }
    }

    /// Opens an existing cache for reading only, for a file whose folder, disk or permissions
    /// forbid writing: nothing is created, migrated or written, and every write method throws.
    /// `immutable` opens it with SQLite's `immutable=1` (no locks, no `-shm`, the WAL ignored),
    /// which a read-only folder requires; the file must then not change while open (the caller
    /// watches its size and modification time and reopens it).
    /// - Throws: `.database` when the file cannot be read, `.notACache` when it holds no Cairn cache.
    public init(readingOnly path: String, immutable: Bool,
                matrixSize: @escaping @Sendable (Int) -> (columns: Int, rows: Int) = { (1 << $0, 1 << $0) }) throws {
        self.path = path
        self.matrixSize = matrixSize
        isReadOnly = true
        if immutable {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~/"))
            readerPath = "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?immutable=1"
            readerFlags = [.readOnly, .uri, .fullMutex]
        } else {
            readerPath = path
            readerFlags = [.readOnly, .fullMutex]
        }
        do {
            connection = try SQLiteConnection(path: readerPath, flags: readerFlags, busyTimeoutMilliseconds: Self.readerBusyTimeoutMilliseconds)
            hasChecksums = try MBTilesSchema.checkReadable(on: connection, path: path)
        } catch let error as SQLiteError {
            throw MBTilesError(.database, path: path, "cannot open read-only: \(error.message)", sqliteCode: error.code)
        }
    }

    // MARK: Reading

    /// The cached tile at `tile` (XYZ), whatever fingerprint it was rendered from.
    public func tile(_ tile: TileCoordinate) throws -> CachedTile? {
        let row = try tmsRow(tile)
        return try serve("""
            SELECT images.tile_data, map.tile_id, map.fingerprint, map.stale, \(checksumColumn) FROM map JOIN images ON images.tile_id = map.tile_id
            WHERE map.zoom_level = ?1 AND map.tile_column = ?2 AND map.tile_row = ?3
            """) { statement in
            try statement.bind(tile.z, at: 1)
            try statement.bind(tile.x, at: 2)
            try statement.bind(row, at: 3)
            return try Self.cachedTile(statement)
        }
    }

    /// The cached tile at `tile` (XYZ) only when it was rendered from `fingerprint`, stale or
    /// not (`isStale` tells; the caller decides whether to serve it while re-rendering). A tile
    /// from another fingerprint is never returned.
    public func tile(_ tile: TileCoordinate, matching fingerprint: String) throws -> CachedTile? {
        let row = try tmsRow(tile)
        return try serve("""
            SELECT images.tile_data, map.tile_id, map.fingerprint, map.stale, \(checksumColumn) FROM map JOIN images ON images.tile_id = map.tile_id
            WHERE map.zoom_level = ?1 AND map.tile_column = ?2 AND map.tile_row = ?3 AND map.fingerprint = ?4
            """) { statement in
            try statement.bind(tile.z, at: 1)
            try statement.bind(tile.x, at: 2)
            try statement.bind(row, at: 3)
            try statement.bind(fingerprint, at: 4)
            return try Self.cachedTile(statement)
        }
    }

    /// Reads the first and last rows of `map` and `images` on the serving connection: a few
    /// pages, so cheap on any size of file, but enough to fail (`.database` with SQLite's code) on
    /// a file truncated or damaged where its b-trees start and end, before any tile is asked for.
    public func probe() throws {
        for sql in ["SELECT tile_id FROM map ORDER BY zoom_level, tile_column, tile_row LIMIT 1",
                    "SELECT tile_id FROM map ORDER BY zoom_level DESC, tile_column DESC, tile_row DESC LIMIT 1",
                    "SELECT length(tile_data) FROM images ORDER BY tile_id LIMIT 1",
                    "SELECT length(tile_data) FROM images ORDER BY tile_id DESC LIMIT 1"] {
            try serve(sql) { statement in _ = try statement.step() }
        }
    }

    /// Which of `tiles` (XYZ) are cached from `fingerprint`; stale ones count only with
    /// `includeStale`. Made for resuming a seed: the tiles of one metatile cost one range query
    /// per zoom (scattered tiles fall back to point lookups, all in one read transaction).
    public func existingTiles(_ tiles: [TileCoordinate], matching fingerprint: String, includeStale: Bool = false) throws -> Set<TileCoordinate> {
        var byZoom: [Int: [(tile: TileCoordinate, row: Int)]] = [:]
        for tile in tiles { byZoom[tile.z, default: []].append((tile, try tmsRow(tile))) }
        return try read {
            try connection.transaction(.deferred) {
                var found: Set<TileCoordinate> = []
                for (z, wanted) in byZoom {
                    let columns = wanted.map(\.tile.x), rows = wanted.map(\.row)
                    let minX = columns.min()!, maxX = columns.max()!, minRow = rows.min()!, maxRow = rows.max()!
                    let area = (maxX - minX + 1) * (maxRow - minRow + 1)
                    if area <= 4 * wanted.count + 16 {
                        let present = try query("""
                            SELECT tile_column, tile_row FROM map WHERE zoom_level = ?1 AND tile_column BETWEEN ?2 AND ?3
                            AND tile_row BETWEEN ?4 AND ?5 AND fingerprint = ?6 AND (stale = 0 OR ?7)
                            """) { statement in
                            try statement.bind(z, at: 1)
                            try statement.bind(minX, at: 2)
                            try statement.bind(maxX, at: 3)
                            try statement.bind(minRow, at: 4)
                            try statement.bind(maxRow, at: 5)
                            try statement.bind(fingerprint, at: 6)
                            try statement.bind(includeStale ? 1 : 0, at: 7)
                            var present: Set<TileCoordinate> = []
                            let size = matrixSize(z).rows
                            while try statement.step() {
                                present.insert(TileCoordinate(z: z, x: Int(statement.int64(0)), y: size - 1 - Int(statement.int64(1))))
                            }
                            return present
                        }
                        for (tile, _) in wanted where present.contains(tile) { found.insert(tile) }
                    } else {
                        for (tile, row) in wanted {
                            let exists = try query("""
                                SELECT 1 FROM map WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3
                                AND fingerprint = ?4 AND (stale = 0 OR ?5)
                                """) { statement in
                                try statement.bind(z, at: 1)
                                try statement.bind(tile.x, at: 2)
                                try statement.bind(row, at: 3)
                                try statement.bind(fingerprint, at: 4)
                                try statement.bind(includeStale ? 1 : 0, at: 5)
                                return try statement.step()
                            }
                            if exists { found.insert(tile) }
                        }
                    }
                }
                return found
            }
        }
    }

    /// The number of cached tiles (addresses, not distinct images); 0 when the file cannot be read.
    public func count() -> Int {
        (try? read {
            try query("SELECT count(*) FROM map") { statement in
                try statement.step() ? Int(statement.int64(0)) : 0
            }
        }) ?? 0
    }

    /// Counts of tiles, distinct images, image bytes, stale tiles and failures, read in one
    /// transaction so they agree with each other.
    public func statistics() throws -> MBTilesStatistics {
        try read {
            try connection.transaction(.deferred) {
                func integer(_ sql: String) throws -> Int {
                    try query(sql) { statement in try statement.step() ? Int(statement.int64(0)) : 0 }
                }
                return MBTilesStatistics(
                    tiles: try integer("SELECT count(*) FROM map"),
                    images: try integer("SELECT count(*) FROM images"),
                    // length() of a blob reads the record header, not the image.
                    imageBytes: try integer("SELECT coalesce(sum(length(tile_data)), 0) FROM images"),
                    staleTiles: try integer("SELECT count(*) FROM map WHERE stale = 1"),
                    failures: try integer("SELECT count(*) FROM cairn_failures"))
            }
        }
    }

    /// The metadata rows; empty when the file cannot be read.
    public func metadata() -> [String: String] {
        (try? read {
            try query("SELECT name, value FROM metadata") { statement in
                var rows: [String: String] = [:]
                while try statement.step() {
                    if let name = statement.string(0) { rows[name] = statement.string(1) ?? "" }
                }
                return rows
            }
        }) ?? [:]
    }

    // MARK: Writing

    /// Stores `tiles` (XYZ address, encoded image, ETag), all rendered from `fingerprint`, in one
    /// transaction, replacing what was cached at those addresses and clearing their stale flags
    /// (and, with `clearingFailures`, their failure records: progress commits with the tiles).
    ///
    /// The ETag (quoted or not) must identify the image's content: tiles with equal ETags share
    /// one stored image. Should two different images ever arrive under one ETag (a hash
    /// collision), the later one is stored under a suffixed id (`<etag>~1`) rather than overwrite.
    public func store(_ tiles: [(TileCoordinate, [UInt8], etag: String)], fingerprint: String, clearingFailures: Bool = true) throws {
        let rows = try tiles.map { try tmsRow($0.0) }
        let ids = try tiles.map { try tileID(etag: $0.etag, of: $0.0) }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        try write {
            // Images verified in this transaction, so a batch of blank tiles compares once.
            var placed: [String: (id: String, data: [UInt8])] = [:]
            for (index, (tile, data, _)) in tiles.enumerated() {
                let imageID: String
                if let known = placed[ids[index]], known.data == data {
                    imageID = known.id
                } else {
                    imageID = try placeImage(ids[index], data: data)
                    placed[ids[index]] = (imageID, data)
                }
                try execute("""
                    INSERT OR IGNORE INTO temp.cairn_released (tile_id)
                    SELECT tile_id FROM map WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3 AND tile_id <> ?4
                    """) { statement in
                    try statement.bind(tile.z, at: 1)
                    try statement.bind(tile.x, at: 2)
                    try statement.bind(rows[index], at: 3)
                    try statement.bind(imageID, at: 4)
                }
                try execute("""
                    INSERT INTO map (zoom_level, tile_column, tile_row, tile_id, fingerprint, stale, created_at)
                    VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)
                    ON CONFLICT (zoom_level, tile_column, tile_row) DO UPDATE SET
                        tile_id = excluded.tile_id, fingerprint = excluded.fingerprint, stale = 0, created_at = excluded.created_at
                    """) { statement in
                    try statement.bind(tile.z, at: 1)
                    try statement.bind(tile.x, at: 2)
                    try statement.bind(rows[index], at: 3)
                    try statement.bind(imageID, at: 4)
                    try statement.bind(fingerprint, at: 5)
                    try statement.bind(now, at: 6)
                }
                if clearingFailures {
                    try execute("DELETE FROM cairn_failures WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3") { statement in
                        try statement.bind(tile.z, at: 1)
                        try statement.bind(tile.x, at: 2)
                        try statement.bind(rows[index], at: 3)
                    }
                }
            }
            try deleteReleasedImages()
        }
    }

    /// Deletes every tile rendered from another fingerprint (and the images only they used);
    /// returns how many tiles went.
    @discardableResult
    public func removeTiles(notMatching fingerprint: String) throws -> Int {
        try write {
            try deleteMapRows(where: "fingerprint <> ?1") { statement in try statement.bind(fingerprint, at: 1) }
        }
    }

    /// Deletes every tile and image; the metadata and failure records stay.
    public func removeAll() throws {
        try write {
            try connection.execute("DELETE FROM map; DELETE FROM images;")
        }
    }

    /// Replaces the metadata rows `metadata` names; other rows stay.
    public func updateMetadata(_ metadata: MBTilesMetadata) throws {
        try updateMetadata(metadata.rows)
    }

    /// Sets (INSERT OR REPLACE) the given metadata rows; other rows stay.
    public func updateMetadata(_ rows: [String: String]) throws {
        try write { try writeMetadata(rows) }
    }

    /// Deletes the image stored as `etag` (a tile's ETag, quoted or not) and every `map` row
    /// using it, for an image found damaged on read: each of those addresses is rendered again.
    /// Returns how many addresses went.
    @discardableResult
    public func removeDamagedImage(etag: String) throws -> Int {
        var id = Substring(etag)
        if id.count >= 2, id.first == "\"", id.last == "\"" { id = id.dropFirst().dropLast() }
        let tileID = String(id)
        return try write {
            let addresses = try execute("DELETE FROM map WHERE tile_id = ?1") { statement in try statement.bind(tileID, at: 1) }
            try execute("DELETE FROM images WHERE tile_id = ?1") { statement in try statement.bind(tileID, at: 1) }
            return addresses
        }
    }

    /// Lets go of the path, for a file deleted or replaced while open: closing the connections
    /// later (when the last user of this store lets go of it) keeps SQLite from deleting the
    /// `-wal` and `-shm` files by name, which would by then be the new file's. Waits for a
    /// statement in progress on either connection (call on a pool thread).
    public func detachFromPath() {
        lock.lock()
        connection.keepWriteAheadLogOnClose()
        lock.unlock()
        readerLock.lock()
        defer { readerLock.unlock() }
        detached = true
        reader?.keepWriteAheadLogOnClose()
    }

    /// Copies the whole write-ahead log into the database file and truncates the log to zero
    /// bytes (PRAGMA wal_checkpoint(TRUNCATE)), waiting up to the busy timeout for readers: for
    /// the end of a seed, so what it wrote leaves no large log behind. Best effort.
    public func checkpointAndTruncate() {
        guard !isReadOnly else { return }
        try? read {
            let statement = try connection.prepare("PRAGMA wal_checkpoint(TRUNCATE)")
            while try statement.step() {}
        }
    }

    /// Copies what the write-ahead log holds into the database file without waiting for
    /// readers or writers (PRAGMA wal_checkpoint(PASSIVE)), so a long seed's WAL stays small.
    /// Best effort: a checkpoint that cannot run now is simply left for later.
    public func checkpoint() {
        guard !isReadOnly else { return }
        try? read {
            let statement = try connection.prepare("PRAGMA wal_checkpoint(PASSIVE)")
            while try statement.step() {}
        }
    }

    // MARK: Internals shared with the extensions

    /// Puts `data` into `images` under `id` unless that image is already there, and returns the
    /// id it lives under. Call inside a write transaction.
    private func placeImage(_ id: String, data: [UInt8]) throws -> String {
        for attempt in 0..<16 {
            let candidate = attempt == 0 ? id : "\(id)~\(attempt)"
            let inserted = try execute("""
                INSERT INTO images (tile_id, tile_data, \(MBTilesSchema.checksumColumn)) VALUES (?1, ?2, ?3) ON CONFLICT (tile_id) DO NOTHING
                """) { statement in
                try statement.bind(candidate, at: 1)
                try statement.bind(data, at: 2)
                try statement.bind(Int(Zlib.crc32(data)), at: 3)
            }
            if inserted > 0 { return candidate }
            let same = try query("SELECT tile_data = ?2 FROM images WHERE tile_id = ?1") { statement in
                try statement.bind(candidate, at: 1)
                try statement.bind(data, at: 2)
                return try statement.step() && statement.int64(0) == 1
            }
            if same { return candidate }
        }
        throw MBTilesError(.invalidETag, path: path, "etag \(id) names 16 different images; the etag must be a hash of the tile's content")
    }

    /// Deletes the `map` rows matching `condition` (SQL over map's columns, parameters bound by
    /// `bind`) and the images no row uses any more; returns how many rows went. Call inside a
    /// write transaction. Three statements whatever the row count: no per-tile work in Swift.
    func deleteMapRows(where condition: String, _ bind: (SQLiteStatement) throws -> Void) throws -> Int {
        try execute("INSERT OR IGNORE INTO temp.cairn_released (tile_id) SELECT tile_id FROM map WHERE \(condition)", bind)
        let deleted = try execute("DELETE FROM map WHERE \(condition)", bind)
        try deleteReleasedImages()
        return deleted
    }

    /// Deletes the images listed in temp.cairn_released that no `map` row uses, and empties the
    /// list. Call inside a write transaction, after the `map` changes.
    func deleteReleasedImages() throws {
        try execute("""
            DELETE FROM images WHERE tile_id IN (SELECT tile_id FROM temp.cairn_released)
            AND NOT EXISTS (SELECT 1 FROM map WHERE map.tile_id = images.tile_id)
            """) { _ in }
        try execute("DELETE FROM temp.cairn_released") { _ in }
    }

    /// Call inside a transaction, with the lock held (or from init).
    private func writeMetadata(_ rows: [String: String]) throws {
        for (name, value) in rows.sorted(by: { $0.key < $1.key }) {
            try execute("INSERT OR REPLACE INTO metadata (name, value) VALUES (?1, ?2)") { statement in
                try statement.bind(name, at: 1)
                try statement.bind(value, at: 2)
            }
        }
    }

    /// XYZ y to the TMS row, checking the address lies in the zoom's 2^z by 2^z grid.
    func tmsRow(_ tile: TileCoordinate) throws -> Int {
        try checkZoom(tile.z, tile: "\(tile)")
        let (columns, size) = matrixSize(tile.z)
        guard (0..<columns).contains(tile.x), (0..<size).contains(tile.y) else {
            throw MBTilesError(.invalidTile, path: path, "tile \(tile): x must be 0-\(columns - 1) and y 0-\(size - 1) at zoom \(tile.z)")
        }
        return size - 1 - tile.y
    }

    func checkZoom(_ z: Int, tile: String) throws {
        guard (0...Self.maximumZoom).contains(z) else {
            throw MBTilesError(.invalidTile, path: path, "tile \(tile): zoom must be 0-\(Self.maximumZoom)")
        }
    }

    /// The ETag without its quotes: the `tile_id` naming the image.
    private func tileID(etag: String, of tile: TileCoordinate) throws -> String {
        var id = Substring(etag)
        if id.count >= 2, id.first == "\"", id.last == "\"" { id = id.dropFirst().dropLast() }
        guard !id.isEmpty, !id.contains("\"") else {
            throw MBTilesError(.invalidETag, path: path, "tile \(tile): etag \(etag) must be a non-empty token, optionally in double quotes")
        }
        return String(id)
    }

    private static func cachedTile(_ statement: SQLiteStatement) throws -> CachedTile? {
        guard try statement.step() else { return nil }
        return CachedTile(
            data: statement.blob(0), etag: "\"" + (statement.string(1) ?? "") + "\"",
            fingerprint: statement.string(2) ?? "", isStale: statement.int64(3) != 0,
            checksum: statement.isNull(4) ? nil : UInt32(truncatingIfNeeded: statement.int64(4)))
    }

    /// The stored checksum column, or NULL for a file without one.
    private var checksumColumn: String { hasChecksums ? "images.\(MBTilesSchema.checksumColumn)" : "NULL" }

    /// A cached prepared statement. Call with the lock held.
    private func statement(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        let prepared = try connection.prepare(sql)
        statements[sql] = prepared
        return prepared
    }

    /// Runs a cached statement and resets it afterwards, so no read transaction stays open
    /// (an open one would pin the WAL and keep checkpoints from finishing). Lock held.
    func query<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let prepared = try statement(sql)
        prepared.reset()
        prepared.clearBindings()
        defer { prepared.reset() }
        return try body(prepared)
    }

    /// Runs a cached statement that returns no rows; returns the rows it changed. Lock held.
    @discardableResult
    func execute(_ sql: String, _ bind: (SQLiteStatement) throws -> Void) throws -> Int {
        try query(sql) { statement in
            try bind(statement)
            try statement.step()
            return connection.changes
        }
    }

    /// Runs a cached statement on the serving connection, under its own lock. One attempt, no
    /// retry loop: a request waits on this, and in WAL mode a reader is only ever busy for a
    /// moment (WAL recovery), which the short `readerBusyTimeoutMilliseconds` covers. Failing fast lets the
    /// caller count the error and render instead.
    func serve<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        readerLock.lock()
        defer { readerLock.unlock() }
        do {
            let prepared: SQLiteStatement
            if let cached = readerStatements[sql] {
                prepared = cached
            } else {
                if reader == nil && detached { throw MBTilesError(.database, path: path, "the store was closed: the file at its path was replaced") }
                // Opened on first use, once the writer has created the schema.
                let connection = try reader ?? SQLiteConnection(
                    path: readerPath, flags: readerFlags,
                    busyTimeoutMilliseconds: Self.readerBusyTimeoutMilliseconds)
                reader = connection
                prepared = try connection.prepare(sql)
                readerStatements[sql] = prepared
            }
            prepared.reset()
            prepared.clearBindings()
            defer { prepared.reset() }
            return try body(prepared)
        } catch let error as SQLiteError {
            throw MBTilesError(.database, path: path, "\(error.message) (SQLite code \(error.code))", sqliteCode: error.code)
        }
    }

    /// Runs `body` with the lock held, retrying while another connection holds the file's lock.
    func read<T>(_ body: () throws -> T) throws -> T {
        try withRetry { try locked(body) }
    }

    /// Runs `body` as one BEGIN IMMEDIATE transaction with the lock held, retrying the whole
    /// transaction while another connection holds the write lock.
    func write<T>(_ body: () throws -> T) throws -> T {
        try withRetry {
            try locked {
                try connection.transaction(.immediate) {
                    // Left over only if a statement failed mid-way; the transaction rolls that back too.
                    try execute("DELETE FROM temp.cairn_released") { _ in }
                    return try body()
                }
            }
        }
    }

    private func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs `body`, retrying while another connection holds the lock. SQLite's busy handler
    /// already waits `busyTimeout` inside most calls; this catches the cases it does not cover
    /// (WAL recovery, a lock held longer) until `retryWindow` has passed, without holding this
    /// store's lock between attempts, and turns SQLite errors into `MBTilesError`s.
    private func withRetry<T>(_ body: () throws -> T) throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: Self.retryWindow)
        var pause = 0.002
        while true {
            do {
                return try body()
            } catch let error as SQLiteError {
                if error.isBusy, clock.now < deadline {
                    Thread.sleep(forTimeInterval: pause + Double.random(in: 0...0.002))
                    pause = min(pause * 2, 0.05)
                    continue
                }
                throw MBTilesError(error.isNoSpace ? .noSpace : .database, path: path, "\(error.message) (SQLite code \(error.code))", sqliteCode: error.code)
            }
        }
    }
}
