import CairnCache
import CairnCore
import Foundation
import Logging
import NIOPosix
import Synchronization

/// One MBTiles cache file of the engine, with its own state and lock: nothing here is shared with
/// another file, so one map's slow cache work never holds up another map's tiles.
///
/// Every SQLite call runs on a thread pool, never on the cooperative pool: reads and opening on
/// `ioPool` (the request waits for them, and they are short), and the maintenance a new map
/// version needs (marking older tiles stale, which scans the whole file, and rewriting the
/// metadata) on `maintenancePool`, in the background and in order. Requests never wait for the
/// maintenance: tiles are read by fingerprint, so an older tile is never served, marked or not.
///
/// A file that fails never takes its map down (`servingStore`): one that cannot be opened, or
/// turns out damaged when read or unwritable when written, is served "render-through" (every
/// tile rendered, nothing stored), logged once and retried every `retryInterval`; one that can
/// be read but not written is served read-only. Every tile read is checked (`CachedTile.problem`)
/// before it is served; a damaged one is dropped, counted, logged and rendered again. The file's
/// inode is checked at most once a second, so a file deleted or replaced under the server is
/// closed and opened again (as the keys file is re-read); `releaseIfReplaced()` makes the same
/// check without a request, so a deleted file's disk space is freed even when its map is idle. A
/// file whose `-wal` or `-shm` alone was deleted is discarded whole: what the lost log held is gone,
/// and a new log beside the old connections' would corrupt it. It is only a cache.
final class CacheFile: Sendable {
    let path: String
    /// The map and product the file holds, for `/health`.
    let mapName: String
    let productName: String
    private let ioPool: NIOThreadPool
    private let maintenancePool: NIOThreadPool
    private let logger: Logger
    /// How long a render-through (or read-only) file is left before opening it is tried again.
    let retryInterval: Duration

    private struct State {
        var store: MBTilesStore?
        /// The file the store has open (device, inode, size and time when opened).
        var identity: FileIdentity?
        var lastIdentityCheck: ContinuousClock.Instant?
        var openedAt: ContinuousClock.Instant?
        /// Why the store is read-only, when it is.
        var readOnlyReason: String?
        /// Why the file is served render-through, and when opening it was last tried.
        var renderThroughReason: String?
        var lastOpenAttempt: ContinuousClock.Instant?
        var lastRenderThroughLog: ContinuousClock.Instant?
        /// The cache fingerprint whose stale marks and metadata are written (or queued to be).
        var reconciledFingerprint: String?
        /// The last maintenance queued; each one waits for the one before.
        var maintenance: Task<Void, Never>?
        /// The zoom levels the metadata rows were last written for.
        var describedZooms: ClosedRange<Int>?
        var lastReadErrorLog: ContinuousClock.Instant?
        var lastDamagedLog: ContinuousClock.Instant?
        /// Damaged tiles found since the last log line about them.
        var damagedSinceLog = 0
        /// The file's `cairn:expiry` metadata when last looked at (`expiryMark`).
        var expiryMark: String?
    }
    private let state = Mutex(State())
    /// Counts the expiries that reached this file (`beginExpiry`), so a render can tell whether
    /// one came while it read its data (`expiryEpoch`, `write(…, renderedAt:)`).
    private let expiries = Atomic<UInt64>(0)
    /// Bumped by every expiry of the file and whenever its store is let go (closed, deleted,
    /// replaced, turned render-through): memory-cached tiles of an older epoch are not served
    /// (`MemoryTileCache`).
    private let memoryEpochs = Atomic<UInt64>(0)
    /// The fingerprint the engine last served this file's tiles under, and when: the hot path
    /// (`TileEngine.memoryTile`) answers from memory only within `MemoryTileCache` checks of it,
    /// so a changed map is noticed by the next request through the engine.
    private let servedVersion = Mutex<(fingerprint: String, at: ContinuousClock.Instant)?>(nil)
    /// Held (on an IO thread) while the file is opened, so it is opened once.
    private let opening = Mutex(())
    /// Write failures, logged once per interval (a full disk fails every metatile).
    let writeFailures = WriteFailureLog()

    /// A read error is logged at most once per this interval per file; all of them are counted.
    static let readErrorLogInterval: Duration = .seconds(60)
    /// Damaged tiles are logged at most once per this interval per file, with their count.
    static let damagedLogInterval: Duration = .seconds(60)
    /// A file that keeps failing is logged again at most this often.
    static let renderThroughLogInterval: Duration = .seconds(600)
    /// How often the file's inode is compared with the open one's.
    static let identityCheckInterval: Duration = .seconds(1)
    static let defaultRetryInterval: Duration = .seconds(30)

    init(path: String, mapName: String, productName: String, ioPool: NIOThreadPool, maintenancePool: NIOThreadPool,
         logger: Logger, retryInterval: Duration = CacheFile.defaultRetryInterval) {
        self.path = path
        self.mapName = mapName
        self.productName = productName
        self.ioPool = ioPool
        self.maintenancePool = maintenancePool
        self.logger = logger
        self.retryInterval = retryInterval
    }

    /// How the file serves now.
    var status: CacheFileStatus {
        state.withLock { state in
            let serving: CacheFileStatus.State
            let reason: String?
            if let why = state.renderThroughReason {
                (serving, reason) = (.renderThrough, why)
            } else if let why = state.readOnlyReason, state.store != nil {
                (serving, reason) = (.readOnly, why)
            } else {
                (serving, reason) = (.ok, nil)
            }
            return CacheFileStatus(map: mapName, product: productName, path: path, state: serving, reason: reason)
        }
    }

    // MARK: Serving

    /// The store to serve from, or nil to render through (the file cannot be opened now; that was
    /// logged). Opens the file on first use, re-opens it when it was deleted or replaced, retries a
    /// failed or read-only one after `retryInterval`. When the map version changed, the older tiles
    /// are marked stale in the background.
    func servingStore(for producer: TileProducer) async -> MBTilesStore? {
        enum Step { case use(MBTilesStore), check(MBTilesStore, FileIdentity?, upgrade: Bool), open, renderThrough }
        let now = ContinuousClock.now
        let step = state.withLock { state -> Step in
            if let store = state.store {
                guard state.lastIdentityCheck.map({ now - $0 >= Self.identityCheckInterval }) ?? true else { return .use(store) }
                state.lastIdentityCheck = now
                let upgrade = store.isReadOnly && state.openedAt.map { now - $0 >= retryInterval } ?? false
                if upgrade { state.openedAt = now }
                return .check(store, state.identity, upgrade: upgrade)
            }
            if state.renderThroughReason != nil, let last = state.lastOpenAttempt, now - last < retryInterval { return .renderThrough }
            state.lastOpenAttempt = now
            return .open
        }
        var store: MBTilesStore
        switch step {
        case .use(let open):
            store = open
        case .renderThrough:
            return nil
        case .check(let open, let identity, let upgrade):
            store = open
            // The pool refuses work only while shutting down: keep serving what is open.
            guard let looked = try? await ioPool.runIfActive({ [path] in
                (change: Self.change(at: path, opened: identity, readOnly: open.isReadOnly), mark: open.metadata()[Self.expiryMarkKey])
            }) else { break }
            let checked = looked.change
            noteExpiryMark(looked.mark)
            if checked != nil || upgrade {
                if let change = checked {
                    logChange(change)
                    await letGo(open, opened: identity, discardingFile: change.discard)
                } else {
                    close(open)
                }
                guard let reopened = await openForServing(producer) else { return nil }
                store = reopened
            }
        case .open:
            guard let opened = await openForServing(producer) else { return nil }
            store = opened
        }
        reconcileIfNeeded(store, with: producer)
        return store
    }

    /// The tile cached at `tile` from `fingerprint`, read and checked on the IO pool; nil when there
    /// is none, it is damaged (dropped, counted and logged) or the read failed (counted and logged;
    /// a damaged or unreadable file turns render-through). The caller renders instead.
    func read(_ tile: TileCoordinate, from store: MBTilesStore, matching fingerprint: String, kind: CachedImageKind,
              counters: TileCounters) async -> CachedTile? {
        do {
            let (cached, problem) = try await ioPool.runIfActive { () throws -> (CachedTile?, String?) in
                guard let cached = try store.tile(tile, matching: fingerprint) else { return (nil, nil) }
                return (cached, cached.problem(expecting: kind))
            }
            guard let cached else { return nil }
            if let problem {
                dropDamaged(cached, at: tile, problem: problem, from: store, counters: counters)
                return nil
            }
            return cached
        } catch {
            counters.readErrors.wrappingAdd(1, ordering: .relaxed)
            if let failure = error as? MBTilesError, failure.isFileUnusable {
                renderThrough(store, reason: "reading tile \(tile) failed: \(failure.message)")
                return nil
            }
            let now = ContinuousClock.now
            let log = state.withLock { state -> Bool in
                if let last = state.lastReadErrorLog, now - last < Self.readErrorLogInterval { return false }
                state.lastReadErrorLog = now
                return true
            }
            if log {
                logger.error("cache read failed; rendering instead (further read errors of this file are counted, logged once a minute)",
                             metadata: ["file": "\(path)", "tile": "\(tile)", "error": "\(error)"])
            }
            return nil
        }
    }

    // MARK: Seeding and expiry

    /// The open store, for seeding and expiry: opens the file first if needed (on the IO pool).
    /// When the map version changed, the older tiles are marked stale in the background.
    /// - Throws: `EngineError(.cacheFailed)` when the file cannot be opened, or only read-only.
    func store(for producer: TileProducer) async throws -> MBTilesStore {
        let (open, identity) = state.withLock { ($0.store, $0.identity) }
        if let open {
            let checked = try? await ioPool.runIfActive { [path] in Optional(Self.change(at: path, opened: identity, readOnly: open.isReadOnly)) }
            if let checked, checked == nil {
                if !open.isReadOnly {
                    reconcileIfNeeded(open, with: producer)
                    return open
                }
                close(open)
            } else {
                let change = checked ?? nil
                if let change { logChange(change) }
                await letGo(open, opened: identity, discardingFile: change?.discard ?? false)
            }
        }
        let store: MBTilesStore
        do {
            store = try await ioPool.runIfActive {
                do { return try self.open(producer) } catch { throw CacheOpenError(error, path: self.path) }
            }
        } catch let error as CacheOpenError {
            throw EngineError(.cacheFailed, "cannot open the tile cache", detail: "\(error)")
        } catch {
            throw EngineError(.cacheFailed, "cannot open the tile cache", detail: "\(path): \(Self.reason(error))")
        }
        if store.isReadOnly {
            // Seeding and expiry write: a file served read-only cannot be used for them.
            let why = state.withLock { $0.readOnlyReason } ?? "opened read-only"
            let explained = try? await ioPool.runIfActive { CacheOpenError(MBTilesError(.database, path: self.path, why), path: self.path) }
            throw EngineError(.cacheFailed, "cannot open the tile cache", detail: explained.map { "\($0)" } ?? "\(path): \(why)")
        }
        reconcileIfNeeded(store, with: producer)
        return store
    }

    /// The open store once its tiles of older map versions are marked stale, for work that lists
    /// stale tiles or counts what it marks (seeding, expiry).
    func reconciledStore(for producer: TileProducer) async throws -> MBTilesStore {
        let store = try await store(for: producer)
        let maintenance = state.withLock { $0.maintenance }
        await maintenance?.value
        return store
    }

    /// Stores made tiles. Call on a pool thread (this blocks on SQLite). When the tiles reach
    /// zoom levels the metadata does not cover yet, the metadata is brought up to date in the
    /// background.
    /// A failure is logged here (once per interval per file, with the free space when the disk
    /// is full) and thrown as a `CacheWriteError`.
    /// The expiry count now: taken by a render before it reads its data.
    var expiryEpoch: UInt64 { expiries.load(ordering: .acquiring) }

    /// Called by an expiry before it marks or deletes tiles of this file.
    func beginExpiry() {
        expiries.wrappingAdd(1, ordering: .acquiringAndReleasing)
        memoryEpochs.wrappingAdd(1, ordering: .acquiringAndReleasing)
    }

    /// The metadata row every expiry rewrites once it has marked the file's tiles, so a server
    /// notices (within `identityCheckInterval`) an expiry made by another process (`cairn expire`)
    /// and forgets the tiles it holds in memory from this file.
    static let expiryMarkKey = "cairn:expiry"

    /// Records an expiry of this process (see `expiryMarkKey`). Call on a pool thread.
    func markExpired(in store: MBTilesStore) throws {
        let mark = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))"
        try store.updateMetadata([Self.expiryMarkKey: mark])
        state.withLock { $0.expiryMark = mark }
    }

    /// Forgets memory-cached tiles when the file's expiry mark is not the one seen last.
    private func noteExpiryMark(_ mark: String?) {
        let changed = state.withLock { state -> Bool in
            guard state.expiryMark != mark else { return false }
            state.expiryMark = mark
            return true
        }
        if changed { memoryEpochs.wrappingAdd(1, ordering: .acquiringAndReleasing) }
    }

    /// See `memoryEpochs`.
    var memoryEpoch: UInt64 { memoryEpochs.load(ordering: .acquiring) }

    /// Notes that the engine serves this file's tiles under `fingerprint` now (its map checked).
    func noteServed(_ fingerprint: String) {
        let now = ContinuousClock.now
        servedVersion.withLock { $0 = (fingerprint, now) }
    }

    /// Whether the engine served this file's tiles under `fingerprint` within `interval`.
    func wasServed(_ fingerprint: String, within interval: Duration) -> Bool {
        guard let served = servedVersion.withLock({ $0 }) else { return false }
        return served.fingerprint == fingerprint && ContinuousClock.now - served.at < interval
    }

    /// Stores rows made from data read after `renderedAt` (an `expiryEpoch`). When an expiry began
    /// since, the rows may have been drawn from rows an edit has changed since (a database edit
    /// committed while the render read, its expiry ran before this write): they are stored marked
    /// stale, so the next request renders them again instead of the old picture living on as new.
    /// Checked after storing: an expiry that begins later marks these rows itself.
    func write(_ rows: [(TileCoordinate, [UInt8], etag: String)], fingerprint: String, to store: MBTilesStore, of producer: TileProducer,
               renderedAt epoch: UInt64? = nil) throws {
        guard !rows.isEmpty else { return }
        do {
            try store.store(rows, fingerprint: fingerprint)
            if let epoch, expiryEpoch != epoch { _ = try store.markStale(rows.map(\.0)) }
        } catch {
            let failure = CacheWriteError(error, path: path)
            writeFailures.record(failure, "could not cache tiles", metadata: [
                "map": "\(producer.map.name)", "product": "\(producer.product)", "tile": "\(rows[0].0)", "tiles": "\(rows.count)",
            ], logger: logger)
            // A full disk keeps serving what is cached and stores again once space is freed; a
            // file that cannot be written or read at all turns render-through until it reopens.
            if failure.code != .noSpace, let unusable = error as? MBTilesError, unusable.isFileUnusable {
                renderThrough(store, reason: "storing tiles failed: \(unusable.message)")
            }
            throw failure
        }
        writeFailures.recordSuccess(path: path, logger: logger)
        var lowest = Int.max, highest = Int.min
        for row in rows {
            lowest = min(lowest, row.0.z)
            highest = max(highest, row.0.z)
        }
        let grew = state.withLock { state -> Bool in
            guard let described = state.describedZooms else { return true }
            return !described.contains(lowest) || !described.contains(highest)
        }
        if grew { enqueueMaintenance(on: store) { try self.describeStoredTiles(in: $0, of: producer) } }
    }

    /// Rewrites `minzoom`, `maxzoom` and `bounds` from the stored tiles, after the maintenance
    /// queued before it; returns once written (for the end of a seed or an expiry).
    func refreshStoredExtent(of producer: TileProducer) async throws {
        let store = try await store(for: producer)
        await enqueueMaintenance(on: store) { try self.describeStoredTiles(in: $0, of: producer) }.value
    }

    // MARK: Internals

    /// Opens the file for serving; nil (and render-through, logged) when it cannot be opened.
    private func openForServing(_ producer: TileProducer) async -> MBTilesStore? {
        do {
            return try await ioPool.runIfActive { try self.open(producer) }
        } catch {
            renderThrough(nil, reason: "cannot open: \(Self.reason(error))")
            return nil
        }
    }

    /// Opens the file read-write (creating it when missing); an existing file that cannot be
    /// written (its permissions, folder or disk) but holds a readable cache is opened read-only,
    /// immutable when SQLite cannot even keep its lock files beside it. Call on an IO thread.
    private func open(_ producer: TileProducer) throws -> MBTilesStore {
        do {
            return try openUnchecked(producer)
        } catch var failure as MBTilesError where failure.sqliteCode.map({ [10, 13].contains($0 & 0xFF) }) == true {
            // SQLITE_IOERR / SQLITE_FULL: say how much room the disk has, the usual cause.
            failure.message += "; \(Self.freeSpace(near: path)) free on its disk"
            throw failure
        }
    }

    /// The space left for unprivileged writers on the filesystem holding `path`'s folder.
    static func freeSpace(near path: String) -> String {
        var info = statvfs()
        guard statvfs(URL(fileURLWithPath: path).deletingLastPathComponent().path, &info) == 0 else { return "unknown space" }
        let bytes = Int64(info.f_bavail) * Int64(info.f_frsize)
        return bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    private func openUnchecked(_ producer: TileProducer) throws -> MBTilesStore {
        try opening.withLock { _ in
            if let open = state.withLock({ $0.store }) { return open }
            let store: MBTilesStore
            var readOnlyReason: String?
            do {
                store = try MBTilesStore(path: path, metadata: producer.metadata, matrixSize: producer.matrixSize)
            } catch {
                // A damaged file or one of another layout is not served at all, read-only or not.
                if let failure = error as? MBTilesError, failure.isDamagedFile { throw error }
                // Opening read-only reads the schema, so a store returned here can read the file.
                guard FileIdentity(path: path) != nil,
                      let readable = (try? MBTilesStore(readingOnly: path, immutable: false, matrixSize: producer.matrixSize))
                        ?? (try? MBTilesStore(readingOnly: path, immutable: true, matrixSize: producer.matrixSize))
                else { throw error }
                store = readable
                readOnlyReason = Self.reason(error)
            }
            // A damaged file fails here, at open (and so at start), rather than at some tile's read.
            try store.probe()
            install(store, readOnlyReason: readOnlyReason)
            return store
        }
    }

    private func install(_ store: MBTilesStore, readOnlyReason: String?) {
        let identity = FileIdentity(path: path)
        let now = ContinuousClock.now
        let (wasRenderThrough, wasReadOnly) = state.withLock { state in
            let before = (state.renderThroughReason != nil, state.readOnlyReason != nil)
            state.store = store
            state.identity = identity
            state.lastIdentityCheck = now
            state.openedAt = now
            state.readOnlyReason = readOnlyReason
            state.renderThroughReason = nil
            return before
        }
        if let readOnlyReason, !wasReadOnly {
            logger.warning("cache file cannot be written; serving its tiles read-only, rendering the others without storing them",
                           metadata: ["file": "\(path)", "map": "\(mapName)", "reason": "\(readOnlyReason)"])
        } else if wasRenderThrough || (wasReadOnly && readOnlyReason == nil) {
            logger.notice("cache file usable again", metadata: ["file": "\(path)", "map": "\(mapName)", "mode": "\(store.isReadOnly ? "read-only" : "read-write")"])
        }
    }

    /// What changed under an open store: the reason for the log, and whether the file at the path
    /// (the one opened, its log files gone) must be discarded rather than opened again.
    struct Change: Equatable {
        var reason: String
        var discard = false
    }

    /// How the files at `path` differ from the store that opened `opened`, or nil when they do not.
    /// A read-write store always has its `-wal` and `-shm` (SQLite removes them only when the last
    /// connection closes, and the store's stay open). Blocks on `stat`: call on a pool thread.
    static func change(at path: String, opened: FileIdentity?, readOnly: Bool) -> Change? {
        guard let current = FileIdentity(path: path) else { return Change(reason: "the file was deleted") }
        guard let opened else { return nil }
        if !opened.isSameFile(as: current) { return Change(reason: "the file was replaced (another inode)") }
        if readOnly { return opened != current ? Change(reason: "the read-only file changed (size or time)") : nil }
        let missing = ["-wal", "-shm"].filter { FileIdentity(path: path + $0) == nil }
        guard missing.isEmpty else {
            return Change(reason: "its \(missing.joined(separator: " and ")) file was deleted; the file is discarded (without its log it cannot be trusted)", discard: true)
        }
        return nil
    }

    private func logChange(_ change: Change) {
        logger.warning("cache file changed under the server; closing it and opening the file now at its path",
                       metadata: ["file": "\(path)", "reason": "\(change.reason)"])
    }

    /// Lets go of the open store when its file was deleted or replaced, without opening the one now
    /// at the path (the next request or seed does): the old file's disk space is freed, and its
    /// writes stop, even when no request comes for this map. Run every few seconds by `cairn serve`.
    func releaseIfReplaced() async {
        let (open, identity) = state.withLock { ($0.store, $0.identity) }
        guard let open else { return }
        let checked: Change?
        do {
            checked = try await ioPool.runIfActive { [path] in Self.change(at: path, opened: identity, readOnly: open.isReadOnly) }
        } catch {
            return
        }
        guard let change = checked else { return }
        logChange(change)
        await letGo(open, opened: identity, discardingFile: change.discard)
    }

    /// Closes `store`, whose file was deleted or replaced (`opened` is the file it opened), so
    /// the file now at the path is opened cleanly: the old connections are told to keep their
    /// `-wal` and `-shm` files on close, and those files, which belong to the old file, are
    /// removed from the path now, so the new file does not inherit (and replay) the old log.
    /// With `discardingFile`, the file itself goes too, when it is still the one opened.
    private func letGo(_ store: MBTilesStore, opened: FileIdentity?, discardingFile discard: Bool = false) async {
        // Another caller let go of it first, and cleaned up: a store opened since owns the path.
        guard close(store) else { return }
        let path = self.path
        _ = try? await ioPool.runIfActive {
            store.detachFromPath()
            // Under the lock that opening holds: no store of this process creates files at the path
            // meanwhile, and one opened already owns what is there now.
            self.opening.withLock { _ in
                guard self.state.withLock({ $0.store == nil }) else { return }
                let current = FileIdentity(path: path)
                if let opened, let current, current.isSameFile(as: opened) {
                    guard discard else { return }
                    unlink(path)
                }
                // Another process that created a new file at the path within the last second, and
                // its log files, would lose them here: checking every second keeps that window small.
                for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
            }
        }
    }

    /// Lets go of `store` if it is still the open one (returns whether it was); its connections
    /// close once work in flight on them ends.
    @discardableResult
    private func close(_ store: MBTilesStore) -> Bool {
        memoryEpochs.wrappingAdd(1, ordering: .acquiringAndReleasing)
        return state.withLock { state in
            guard state.store === store else { return false }
            state.store = nil
            state.identity = nil
            state.reconciledFingerprint = nil
            state.describedZooms = nil
            return true
        }
    }

    /// Serves the file render-through from now on (until a retry opens it), closing `store` (nil:
    /// none was open). Logged once, then at most every `renderThroughLogInterval`.
    private func renderThrough(_ store: MBTilesStore?, reason: String) {
        let now = ContinuousClock.now
        let log = state.withLock { state -> Bool in
            // A failure of a store already replaced says nothing about the file now open.
            if let store, state.store !== store { return false }
            if store != nil {
                memoryEpochs.wrappingAdd(1, ordering: .acquiringAndReleasing)
                state.store = nil
                state.identity = nil
                state.reconciledFingerprint = nil
                state.describedZooms = nil
            }
            state.renderThroughReason = reason
            state.lastOpenAttempt = now
            if let last = state.lastRenderThroughLog, now - last < Self.renderThroughLogInterval { return false }
            state.lastRenderThroughLog = now
            return true
        }
        if log {
            logger.error("cache file unusable; its tiles are rendered and not stored until it can be opened again", metadata: [
                "file": "\(path)", "map": "\(mapName)", "product": "\(productName)", "reason": "\(reason)",
                "retry_seconds": "\(retryInterval.components.seconds)",
            ])
        }
    }

    /// Counts and logs a damaged tile, and drops its image (every address using it) so the next
    /// request renders it again.
    private func dropDamaged(_ cached: CachedTile, at tile: TileCoordinate, problem: String, from store: MBTilesStore, counters: TileCounters) {
        counters.damaged.wrappingAdd(1, ordering: .relaxed)
        let now = ContinuousClock.now
        let logged = state.withLock { state -> Int? in
            state.damagedSinceLog += 1
            if let last = state.lastDamagedLog, now - last < Self.damagedLogInterval { return nil }
            state.lastDamagedLog = now
            defer { state.damagedSinceLog = 0 }
            return state.damagedSinceLog
        }
        if let logged {
            logger.error("damaged tile in the cache: not served, dropped and rendered again (damaged tiles of this file are counted, logged once a minute)",
                         metadata: ["file": "\(path)", "tile": "\(tile)", "problem": "\(problem)", "damaged_tiles": "\(logged)"])
        }
        guard !store.isReadOnly else { return }
        let etag = cached.etag
        enqueueMaintenance(on: store) { try $0.removeDamagedImage(etag: etag) }
    }

    /// Marks older map versions' tiles stale when `producer`'s fingerprint is new to this store.
    private func reconcileIfNeeded(_ store: MBTilesStore, with producer: TileProducer) {
        guard !store.isReadOnly else { return }
        let fingerprint = producer.cacheFingerprint
        let changed = state.withLock { state -> Bool in
            guard state.reconciledFingerprint != fingerprint else { return false }
            state.reconciledFingerprint = fingerprint
            return true
        }
        if changed { reconcile(store, with: producer) }
    }

    /// What went wrong, for logs and /health: the message without repeating the path.
    static func reason(_ error: any Error) -> String {
        if let failure = error as? MBTilesError { return failure.message }
        if let failure = error as? EngineError { return failure.detail ?? failure.message }
        return "\(error)"
    }

    /// Marks tiles of other map versions stale and rewrites the metadata, in the background.
    private func reconcile(_ store: MBTilesStore, with producer: TileProducer) {
        let fingerprint = producer.cacheFingerprint
        let logger = self.logger
        let path = self.path
        enqueueMaintenance(on: store) { store in
            let clock = ContinuousClock()
            let start = clock.now
            try store.updateMetadata(producer.metadata)
            let marked = try store.markStale(notMatching: fingerprint)
            try self.describeStoredTiles(in: store, of: producer)
            if marked > 0 {
                logger.info("tiles of an older map version marked stale", metadata: [
                    "file": "\(path)", "tiles": "\(marked)", "seconds": "\((clock.now - start).secondsValue)",
                ])
            }
        }
    }

    /// Writes the metadata rows describing what the file holds. Call on a pool thread.
    private func describeStoredTiles(in store: MBTilesStore, of producer: TileProducer) throws {
        let extents = try store.storedExtents()
        guard let rows = StoredExtentMetadata.rows(extents, of: producer) else { return }
        try store.updateMetadata(rows)
        let zooms = extents.first!.zoom...extents.last!.zoom
        state.withLock { $0.describedZooms = zooms }
    }

    /// Queues `job` after the maintenance already queued, on the maintenance pool. Failures are
    /// logged: maintenance only keeps stale marks and metadata up to date, serving does not need it.
    @discardableResult
    private func enqueueMaintenance(on store: MBTilesStore, _ job: @escaping @Sendable (MBTilesStore) throws -> Void) -> Task<Void, Never> {
        let pool = maintenancePool
        let logger = self.logger
        let path = self.path
        return state.withLock { state in
            let previous = state.maintenance
            let task = Task {
                await previous?.value
                do {
                    try await pool.runIfActive { try job(store) }
                } catch is NIOThreadPoolError.ThreadPoolInactive, is CancellationError {
                    // Shutting down: the next start reconciles the file again.
                } catch {
                    logger.error("cache maintenance failed", metadata: ["file": "\(path)", "error": "\(error)"])
                }
            }
            state.maintenance = task
            return task
        }
    }
}
