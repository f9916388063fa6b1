import CairnCache
import CairnCore
import CairnPostGIS
import Foundation
import Logging

/// Edits announced by PostGIS triggers reach the tiles: notifications of one table are merged for
/// `liveEditDebounce`, then every map whose style reads that table has exactly the tiles the
/// edited boxes touch (widened by the renderer's buffer) expired through `expire(map:_:)`, in every
/// grid, scale and format; maps with `refresh_zooms` re-render those zooms in the background.
extension TileEngine {
    /// Edits of a table within this window are expired together (a burst of single-row statements
    /// costs one expiry, and a tile is not re-rendered between two edits of the same second).
    public static let liveEditDebounce: Duration = .milliseconds(100)

    /// How long an edit's expiry waits for the read replica to replay it (`listen_url`) before
    /// expiring anyway, with a warning and `cairn_live_edit_replica_wait_timeouts_total`.
    public static let replicaReplayTimeout: Duration = .seconds(10)

    /// Ignored payloads logged per minute (a program flooding the channel must not flood the log).
    static let ignoredPayloadLogLimit = 10

    /// One `LISTEN` service per configured database, reporting to this engine; `cairn serve` runs them.
    public func makeChangeListeners() -> [ChangeListener] {
        let made = configuration.databases.values.sorted { $0.name < $1.name }.map { database in
            ChangeListener(database: database, logger: logger) { [self] event in
                await self.handle(event, database: database.name)
            }
        }
        liveEdits.listeners.withLock { listeners in
            for listener in made { listeners[listener.database.name] = listener }
        }
        return made
    }

    /// The `LISTEN` connection of each database, for `/health`.
    public var changeListenerStatuses: [(database: String, url: String, state: ChangeListenerState, reconnects: Int)] {
        liveEdits.listeners.withLock { $0 }.values.sorted { $0.database.name < $1.database.name }.map {
            ($0.database.name, $0.displayURL, $0.state, $0.reconnects)
        }
    }

    func handle(_ event: ChangeListener.Event, database: String) async {
        switch event {
        case .notification(let notification):
            receiveEdit(notification, database: database)
        case .ignored(let payload, let reason):
            metrics.liveEdits.countIgnored()
            logIgnored(payload: payload, reason: reason, database: database)
        case .resumed(let position):
            metrics.liveEdits.countReconnect()
            if let position { await waitForReplica(database: database, position: position, table: nil) }
            await expireEverything(drawnFrom: database)
        }
    }

    /// Queues an edit; the first of its table starts the debounce after which all are expired.
    public func receiveEdit(_ notification: ChangeNotification, database: String) {
        metrics.liveEdits.countReceived()
        let key = PendingEditKey(database: database, table: notification.table, srid: notification.wholeTable ? nil : notification.srid)
        let first = liveEdits.pending.withLock { pending in
            let first = pending[key] == nil
            pending[key, default: PendingEdit()].merge(notification)
            return first
        }
        guard first else { return }
        Task {
            try? await Task.sleep(for: Self.liveEditDebounce)
            await self.flushEdit(key)
        }
    }

    private func flushEdit(_ key: PendingEditKey) async {
        guard let edit = liveEdits.pending.withLock({ $0.removeValue(forKey: key) }) else { return }
        let maps = await mapsReading(database: key.database, table: key.table)
        guard !maps.isEmpty else { return }
        if let position = edit.primaryPosition { await waitForReplica(database: key.database, position: position, table: key.table) }
        var request = ExpireRequest(zooms: 0...24)
        if edit.wholeTable {
            request.everything = true
        } else {
            request.sourceBoxes = edit.boxes
            request.sourceCRS = key.srid.map(CRSDefinition.epsg)
            request.bufferPixels = MapRenderer.bufferPixels
        }
        for map in maps {
            await expireLive(map: map, request, reason: "\(key.table) \(edit.wholeTable ? "truncated" : "edited (\(edit.boxes.count) box(es), \(edit.statementTimes.count) statement(s))")")
        }
        let now = Date().timeIntervalSince1970
        for time in edit.statementTimes { metrics.liveEdits.observeLatency(now - time) }
    }

    /// Reads go to a replica and the notification came from the primary, possibly before the replica
    /// replayed the edit: a tile expired now could be re-rendered from the old rows and cached as
    /// new, hiding the edit until the next one. So the expiry waits until the replica has replayed
    /// the primary's position (bounded; a timeout is logged and counted, and the expiry goes ahead).
    /// `table` is nil after a lost LISTEN connection (every table may have been edited meanwhile).
    private func waitForReplica(database name: String, position: WALPosition, table: PostGISTableName?) async {
        guard let database = databases[name] else { return }
        let outcome = await database.waitForReplay(to: position, timeout: Self.replicaReplayTimeout)
        switch outcome {
        case .caughtUp(let waited):
            metrics.liveEdits.observeReplicaWait(waited, timedOut: false)
        case .timedOut(let replayed):
            metrics.liveEdits.observeReplicaWait(Self.replicaReplayTimeout, timedOut: true)
            logger.warning("live edit: the read replica has not replayed the edit yet; expiring its tiles anyway (they may be re-rendered without the edit until the next one)", metadata: [
                "database": "\(name)", "replica": "\(database.configuration.displayURL)", "table": "\(table.map { "\($0)" } ?? "any (the LISTEN connection was lost)")",
                "primary_lsn": "\(position)", "replica_lsn": "\(replayed.map { "\($0)" } ?? "unknown")",
                "waited_seconds": "\(Self.replicaReplayTimeout.components.seconds)",
            ])
        }
    }

    /// After a lost `LISTEN` connection: notifications may have been missed, so every tile of every
    /// map drawing from the database is marked stale.
    func expireEverything(drawnFrom database: String) async {
        var request = ExpireRequest(zooms: 0...24)
        request.everything = true
        for map in await mapsReading(database: database, table: nil) {
            await expireLive(map: map, request, reason: "the LISTEN connection to database \(database) was lost (edits may have been missed)")
        }
    }

    private func expireLive(map: String, _ request: ExpireRequest, reason: String) async {
        do {
            let result = try await expire(map: map, request)
            metrics.liveEdits.countExpired(tiles: result.tiles)
            logger.info("live edit: \(result.tiles) cached tile(s) of map \(map) marked stale", metadata: ["map": "\(map)", "reason": "\(reason)"])
            refreshInBackground(map: map)
        } catch {
            logger.error("live edit: expiring map \(map) failed; its tiles may stay out of date until re-rendered", metadata: [
                "map": "\(map)", "reason": "\(reason)", "error": "\((error as? EngineError)?.detail ?? "\(error)")",
            ])
        }
    }

    /// Maps whose style reads `table` (any table, when nil) of `database`, by name.
    func mapsReading(database: String, table: PostGISTableName?) async -> [String] {
        var names: [String] = []
        for configured in configuration.maps {
            guard let map = try? await self.map(named: configured.name) else { continue }
            let sources = Set(map.style.sources.values.filter { $0.database == database }.map(\.id))
            guard !sources.isEmpty else { continue }
            let reads = map.style.layers.contains { layer in
                guard let source = layer.source, sources.contains(source) else { return false }
                guard let table else { return true }
                return layer.sourceLayer.flatMap(PostGISTableName.init(parsing:)) == table
            }
            if reads { names.append(configured.name) }
        }
        return names
    }

    /// Re-renders the stale tiles of the map's `refresh_zooms` (default grid, every scale, and its
    /// vector tiles), one metatile at a time so that a bulk edit never fills the render queue. A
    /// pass asked for while one runs is folded into one more pass after it.
    func refreshInBackground(map name: String) {
        guard let configured = configuration.maps.first(where: { $0.name == name }), let zooms = configured.refreshZooms else { return }
        let start = liveEdits.refreshing.withLock { running in
            if running[name] != nil { running[name] = true; return false }
            running[name] = false
            return true
        }
        guard start else { return }
        Task {
            while true {
                await refreshStale(map: name, zooms: zooms)
                let again = liveEdits.refreshing.withLock { running in
                    if running[name] == true { running[name] = false; return true }
                    running[name] = nil
                    return false
                }
                if !again { return }
            }
        }
    }

    /// Stale tiles refreshed per pass and product; the rest wait for their request (or the next edit).
    static let maximumRefreshedTiles = 20_000

    private func refreshStale(map name: String, zooms: ClosedRange<Int>) async {
        guard let map = try? await self.map(named: name) else { return }
        var producers = map.configuration.scales.map { TileProducer(png: map, scale: $0) }
        producers += map.configuration.scales.map { TileProducer(webp: map, scale: $0) }
        if map.grid.identifier == TileGrid.webMercator.identifier { producers.append(TileProducer(pbf: map, plan: vectorPlans.plan(for: map))) }
        for producer in producers {
            guard let file = try? await cacheFiles.existingFile(for: producer),
                  let store = await file.servingStore(for: producer), !store.isReadOnly else { continue }
            let limit = Self.maximumRefreshedTiles
            guard let stale = try? await ioPool.runIfActive({ try store.staleTiles(limit: limit) }) else { continue }
            var batches: [Metatile: [TileCoordinate]] = [:]
            var order: [Metatile] = []
            for tile in stale where zooms.contains(tile.z) && tile.z >= map.configuration.minZoom && tile.z <= map.configuration.maxZoom {
                let batch = producer.batch(containing: tile)
                if batches[batch] == nil { order.append(batch) }
                batches[batch, default: []].append(tile)
            }
            for batch in order {
                do {
                    _ = try await make(batch, wanted: batches[batch] ?? [], of: producer, file: file, store: store, purpose: .refresh)
                } catch {
                    metrics.tiles(producer.format).refreshesDropped.wrappingAdd(1, ordering: .relaxed)
                    logger.warning("live edit: background refresh did not run; the tiles are re-rendered on request", metadata: [
                        "map": "\(name)", "product": "\(producer.product)", "batch": "\(batch)", "error": "\((error as? EngineError)?.detail ?? "\(error)")",
                    ])
                    if (error as? EngineError)?.code == .overloaded { break }
                }
            }
        }
    }

    private func logIgnored(payload: String, reason: String, database: String) {
        let now = Date()
        let (log, suppressed) = liveEdits.ignoredLog.withLock { state -> (Bool, Int) in
            if now.timeIntervalSince(state.windowStart) >= 60 {
                let suppressed = state.suppressed
                state = (now, 0, 0)
                state.logged = 1
                return (true, suppressed)
            }
            if state.logged < Self.ignoredPayloadLogLimit { state.logged += 1; return (true, 0) }
            state.suppressed += 1
            return (false, 0)
        }
        guard log else { return }
        // The payload is someone else's text: quoted, shortened, never interpreted.
        logger.warning("ignored a notification on \(ChangeNotification.channel) that is not Cairn's: \(reason)", metadata: [
            "database": "\(database)", "payload": "\(JSONValue.quote(String(payload.prefix(200))))",
            "suppressed_before": "\(suppressed)",
        ])
    }
}
