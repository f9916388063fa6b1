import CairnCore
import Foundation
import CairnPostGIS
import CairnProjection
import Logging

/// PostGIS layers in the tile pipeline: before a batch is drawn, each of its tables is asked once
/// for the features in the batch's buffered box (asynchronously, off the render threads); the rows
/// are decoded, reprojected and drawn on the render threads with the map's file layers.
extension TileEngine {
    /// The rows each PostGIS layer of `producer`'s map draws in `batch`, by layer key; empty for maps without any.
    /// - Throws: `EngineError(.sourceUnavailable)` when a database is down or a table is gone.
    func fetchPostGIS(for producer: TileProducer, batch: Metatile, wanted: [TileCoordinate], budget: RenderBudget) async throws -> [String: PostGISRows] {
        let map = producer.map
        guard !map.postgisLayers.isEmpty else { return [:] }
        let layers = map.postgisLayers
        // Described first (cached after the first time), so the boxes can be transformed into each table's CRS.
        var tables: [String: (layer: PostGISLayerSource, table: PostGISTable, database: PostGISDatabase)] = [:]
        for (key, layer) in layers {
            tables[key] = try await describe(layer, map: map)
        }
        do {
            return try await query(tables, for: producer, batch: batch, wanted: wanted, budget: budget)
        } catch let error as EngineError {
            throw error
        } catch let error as PostGISError {
            if error.isSchemaChange {
                for entry in tables.values { entry.database.forgetTable(entry.table.name) }
            }
            throw failure(error, map: map)
        } catch {
            throw EngineError(.renderFailed, "the tile could not be rendered", detail: "\(map.name) \(producer.product) \(batch): PostGIS: \(error)")
        }
    }

    private func query(_ tables: [String: (layer: PostGISLayerSource, table: PostGISTable, database: PostGISDatabase)], for producer: TileProducer,
                       batch: Metatile, wanted: [TileCoordinate], budget: RenderBudget) async throws -> [String: PostGISRows] {
        let map = producer.map
        let box = producer.dataBox(for: batch, wanted: wanted)
        let gridCRS = map.grid.crs
        let tolerance = producer.simplificationTolerance(for: batch)
        let limit = budget.maxFeatures == .max ? Int(Int64.max) : budget.maxFeatures + 1
        let plans = tables.mapValues { entry in (table: entry.table, crs: entry.table.crs) }
        // PROJ work belongs on the render threads, not the cooperative pool.
        let boxes: [String: (box: BoundingBox, tolerance: Double)] = try await threadPool.runIfActive {
            var result: [String: (box: BoundingBox, tolerance: Double)] = [:]
            for (key, plan) in plans {
                // A box far outside the table CRS's area (a low zoom seen in VN-2000) may not transform
                // at all; then the whole table is read, still capped by the budget.
                guard let tableBox = try? transformBoundingBox(box, from: gridCRS, to: plan.crs) else {
                    result[key] = (BoundingBox(minX: -1e15, minY: -1e15, maxX: 1e15, maxY: 1e15), 0)
                    continue
                }
                let unitsPerGridUnit = box.width > 0 ? tableBox.width / box.width : 1
                result[key] = (tableBox, tolerance * unitsPerGridUnit)
            }
            return result
        }
        let fetched = try await withThrowingTaskGroup(of: (String, PostGISRows).self) { group in
            for (key, entry) in tables {
                guard let target = boxes[key] else { continue }
                let query = PostGISFeatureQuery(table: entry.table, attributes: entry.layer.attributes)
                let database = entry.database
                group.addTask {
                    let rows = try await database.rows(query.query(box: target.box, limit: limit, tolerance: target.tolerance))
                    return (key, PostGISRows(table: entry.table, attributes: query.attributes, rows: rows))
                }
            }
            var fetched: [String: PostGISRows] = [:]
            for try await (key, rows) in group { fetched[key] = rows }
            return fetched
        }
        postgisProblems.clear(map: map.name)
        return fetched
    }

    private func describe(_ layer: PostGISLayerSource, map: LoadedMap) async throws -> (layer: PostGISLayerSource, table: PostGISTable, database: PostGISDatabase) {
        guard let database = databases[layer.database] else {
            throw EngineError(.invalidConfiguration, "map \(map.name): no database \(layer.database) is configured")
        }
        do {
            let table = try await database.table(layer.table, geometryColumn: layer.geometryColumn, crs: layer.crs)
            let missing = table.missingColumns(layer.attributes)
            if !missing.isEmpty, postgisProblems.firstWarning("\(map.name)/\(layer.source)/\(layer.table)/\(missing)") {
                logger.warning("columns the style reads are missing; they read as missing, as from files", metadata: [
                    "map": "\(map.name)", "problem": "\(map.styleFileName): source \"\(layer.source)\" (database \(layer.database)): \(table.missingColumnsMessage(missing))",
                ])
            }
            return (layer, table, database)
        } catch let error as PostGISError {
            var error = error
            if error.code != .unavailable && error.code != .noSuchColumn {
                error.message = "\(map.styleFileName): source \"\(layer.source)\": \(error.message)"
            }
            if error.isSchemaChange { database.forgetTable(layer.table) }
            throw failure(error, map: map)
        }
    }

    /// The client's words (no paths, no URLs) and the operator's (everything), for a PostGIS failure.
    private func failure(_ error: PostGISError, map: LoadedMap) -> EngineError {
        if error.code == .unavailable {
            var failure = EngineError(.sourceUnavailable, "the map's database is unavailable; try again shortly", detail: "\(map.name): \(error.message)")
            failure.retryAfterSeconds = 5
            return failure
        }
        // A table that went away (or changed) is the map's problem, not the database's: logged and
        // shown in /health until a render of the map succeeds again.
        if postgisProblems.record(map: map.name, error.message) {
            logger.error("PostGIS table unusable; the map's cold tiles fail until it is fixed", metadata: ["map": "\(map.name)", "error": "\(error.message)"])
        }
        var failure = EngineError(.sourceUnavailable, "the map's data is unavailable; try again later", detail: "\(map.name): \(error.message)")
        failure.retryAfterSeconds = 30
        return failure
    }

    // MARK: Status and use, for /health, validation and expiry

    /// Every configured database's state.
    public var databaseStatuses: [DatabaseStatus] { databases.statuses }

    /// Runs `body` with the databases' clients running, for commands that are not a service group
    /// (`cairn seed`, `render`, `expire`); `cairn serve` runs `databases` as a service instead.
    public func withDatabases<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await databases.whileRunning(body)
    }

    /// Whether any database is configured.
    public var hasDatabases: Bool { !databases.isEmpty }

    /// The last PostGIS table problem of each map whose renders fail because of one.
    public var postgisMapProblems: [String: String] { postgisProblems.all }

    /// Which maps (per grid) draw from which database tables, for the maps loaded now: what an edit
    /// in a table must expire. Maps that failed to load are not listed.
    public func postgisTableUses() async -> [PostGISTableUse] {
        var uses: Set<PostGISTableUse> = []
        for map in await loadedMapsNow() {
            for layer in map.postgisLayers.values {
                uses.insert(PostGISTableUse(map: map.name, grid: map.grid.identifier, database: layer.database, table: layer.table, source: layer.source))
            }
        }
        return uses.sorted { ($0.map, $0.grid, $0.database, $0.table.description) < ($1.map, $1.grid, $1.database, $1.table.description) }
    }

    /// The maps that draw from `table` of `database`.
    public func maps(drawingFrom table: PostGISTableName, in database: String) async -> [String] {
        Array(Set(await postgisTableUses().filter { $0.database == database && $0.table == table }.map(\.map))).sorted()
    }
}

extension LoadedMap {
    /// The style file's name (not its folder: PostGIS problems are shown in the public `/health`).
    var styleFileName: String { URL(fileURLWithPath: configuration.stylePath).lastPathComponent }

    /// A copy of the map whose `layers` include the PostGIS rows of one batch, decoded and
    /// reprojected into the grid (on the calling render thread).
    func drawing(_ fetched: [String: PostGISRows]) throws -> LoadedMap {
        guard !fetched.isEmpty else { return self }
        var copy = self
        for (key, rows) in fetched {
            copy.layers[key] = try ProjectedLayer(name: rows.table.name.table, features: rows.features(), from: rows.table.crs, to: grid.crs)
        }
        return copy
    }
}
