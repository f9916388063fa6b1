import CairnConfiguration
import CairnCore
import Foundation
import Logging
import NIOPosix

/// Holds the loaded maps and reloads one when its style or data files change on disk,
/// so tiles of an edited style or data file are never served from the old version.
actor MapRegistry {
    private struct Key: Hashable {
        var name: String
        var grid: String
    }

    private struct Entry {
        var configuration: MapConfiguration
        var grid: TileGrid
        var map: LoadedMap?
        var error: String?
        var lastChecked: ContinuousClock.Instant
        var reload: Task<LoadedMap, any Error>?
    }

    private var entries: [Key: Entry] = [:]
    /// Each map's grids, its default first.
    private var gridsByMap: [String: [TileGrid]] = [:]
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let checkInterval: Duration
    /// The configured databases' names, which `postgis://` sources must name.
    private let databases: Set<String>
    /// The hosts remote (`"remote": true`) sources may read from (`remote_hosts:`).
    private let remoteHosts: Set<String>

    init(configuration: CairnConfiguration, threadPool: NIOThreadPool, logger: Logger, checkInterval: Duration = .seconds(1)) {
        self.threadPool = threadPool
        self.logger = logger
        self.checkInterval = checkInterval
        self.databases = Set(configuration.databases.keys)
        self.remoteHosts = configuration.remoteHosts
        let now = ContinuousClock.now
        for map in configuration.maps {
            let grids = map.grids.compactMap { configuration.grids[$0] }
            gridsByMap[map.name] = grids
            for grid in grids {
                entries[Key(name: map.name, grid: grid.identifier)] = Entry(configuration: map, grid: grid, map: nil, error: nil, lastChecked: now)
            }
        }
    }

    var names: [String] { gridsByMap.keys.sorted() }

    /// The grids a map is offered in, its default first. - Throws: `.notFound` for unknown maps.
    func grids(for name: String) throws -> [TileGrid] {
        guard let grids = gridsByMap[name] else { throw EngineError(.notFound, "no such map") }
        return grids
    }

    /// The current version of a map, reloading it first if its files changed.
    /// - Throws: `EngineError.notFound` for an unknown name, `.mapUnavailable` if it never loaded.
    func map(named name: String, grid gridName: String? = nil) async throws -> LoadedMap {
        guard let grids = gridsByMap[name] else { throw EngineError(.notFound, "no such map") }
        let chosen = gridName == nil ? grids.first : grids.first { $0.identifier == gridName }
        guard let grid = chosen else { throw EngineError(.notFound, "the map is not offered in that grid") }
        let name = Key(name: name, grid: grid.identifier)
        guard var entry = entries[name] else { throw EngineError(.notFound, "no such map") }
        if let reload = entry.reload { return try await finish(name, reload) }
        let now = ContinuousClock.now
        if let map = entry.map {
            if now - entry.lastChecked < checkInterval { return map }
            entry.lastChecked = now
            entries[name] = entry
            if !map.filesChanged() { return map }
            logger.info("files of map changed; reloading", metadata: ["map": "\(name.name)", "grid": "\(name.grid)"])
        }
        return try await finish(name, startLoad(name))
    }

    /// Loads every map now, so the first requests do not pay for it. Returns the errors by map.
    func loadAll() async -> [String: String] {
        var failures: [String: String] = [:]
        for key in entries.keys.sorted(by: { ($0.name, $0.grid) < ($1.name, $1.grid) }) {
            do { _ = try await map(named: key.name, grid: key.grid) } catch { failures[Self.label(key)] = String(describing: error) }
        }
        return failures
    }

    /// Loads every map again now, changed or not (the admin reload). A map that fails keeps its
    /// last good version in service. Returns the errors by map.
    func reloadAll() async -> [String: String] {
        var failures: [String: String] = [:]
        for key in entries.keys.sorted(by: { ($0.name, $0.grid) < ($1.name, $1.grid) }) {
            let task = entries[key]?.reload ?? startLoad(key)
            _ = try? await finish(key, task)
            if let error = entries[key]?.error { failures[Self.label(key)] = error }
        }
        return failures
    }

    /// "hai-phong" for a map's default grid, "hai-phong@VN2000HaiPhong" for the others.
    private static func label(_ key: Key) -> String { key.grid == TileGrid.webMercator.identifier ? key.name : key.name + "@" + key.grid }

    /// The maps (each grid once) that are loaded now, for callers that look at what they read.
    func loadedMaps() -> [LoadedMap] {
        entries.keys.sorted(by: { ($0.name, $0.grid) < ($1.name, $1.grid) }).compactMap { entries[$0]?.map }
    }

    /// Health: each map's fingerprint or its load error.
    func status() -> [String: (fingerprint: String?, error: String?)] {
        var result: [String: (fingerprint: String?, error: String?)] = [:]
        for (key, entry) in entries { result[Self.label(key)] = (entry.map?.fingerprint, entry.error) }
        return result
    }

    private func startLoad(_ name: Key) -> Task<LoadedMap, any Error> {
        let configuration = entries[name]!.configuration
        let grid = entries[name]!.grid
        let pool = threadPool
        let databases = self.databases
        let remoteHosts = self.remoteHosts
        let task = Task {
            try await pool.runIfActive { try MapLoader.load(configuration, grid: grid, databases: databases, remoteHosts: remoteHosts) }
        }
        entries[name]?.reload = task
        return task
    }

    private func finish(_ name: Key, _ task: Task<LoadedMap, any Error>) async throws -> LoadedMap {
        do {
            let map = try await task.value
            if entries[name]?.reload != nil {
                entries[name]?.reload = nil
                entries[name]?.map = map
                entries[name]?.error = nil
                entries[name]?.lastChecked = ContinuousClock.now
                logger.info("map loaded", metadata: ["map": "\(name.name)", "grid": "\(name.grid)", "fingerprint": "\(map.fingerprint)", "layers": "\(map.layers.count)"])
                for warning in map.dataWarnings {
                    logger.warning("map data warning", metadata: ["map": "\(name.name)", "grid": "\(name.grid)", "warning": "\(warning)"])
                }
            }
            return map
        } catch {
            if entries[name]?.reload != nil {
                entries[name]?.reload = nil
                entries[name]?.error = String(describing: error)
                entries[name]?.lastChecked = ContinuousClock.now
                logger.error("map failed to load", metadata: ["map": "\(name.name)", "grid": "\(name.grid)", "error": "\(error)"])
            }
            // A broken edit keeps the last good version in service rather than taking the map down;
            // it is tried again when the files change once more.
            if var previous = entries[name]?.map {
                previous.watchedFiles = previous.watchedFiles.mapValues { _ in nil }
                for path in previous.watchedFiles.keys { previous.watchedFiles[path] = FileStamp(path: path) }
                entries[name]?.map = previous
                return previous
            }
            throw EngineError(.mapUnavailable, "map \(name.name) is not available", detail: entries[name]?.error)
        }
    }
}
