import CairnCore
import Foundation
import Logging
import NIOPosix

/// Holds the loaded maps and reloads one when its style or data files change on disk,
/// so tiles of an edited style or data file are never served from the old version.
actor MapRegistry {
    private struct Entry {
        var configuration: MapConfiguration
        var map: LoadedMap?
        var error: String?
        var lastChecked: ContinuousClock.Instant
        var reload: Task<LoadedMap, any Error>?
    }

    private var entries: [String: Entry] = [:]
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let checkInterval: Duration

    init(configuration: CairnConfiguration, threadPool: NIOThreadPool, logger: Logger, checkInterval: Duration = .seconds(1)) {
        self.threadPool = threadPool
        self.logger = logger
        self.checkInterval = checkInterval
        let now = ContinuousClock.now
        for map in configuration.maps {
            entries[map.name] = Entry(configuration: map, map: nil, error: nil, lastChecked: now)
        }
    }

    var names: [String] { entries.keys.sorted() }

    /// The current version of a map, reloading it first if its files changed.
    /// - Throws: `EngineError.notFound` for an unknown name, `.mapUnavailable` if it never loaded.
    func map(named name: String) async throws -> LoadedMap {
        guard var entry = entries[name] else { throw EngineError(.notFound, "no such map") }
        if let reload = entry.reload { return try await finish(name, reload) }
        let now = ContinuousClock.now
        if let map = entry.map {
            if now - entry.lastChecked < checkInterval { return map }
            entry.lastChecked = now
            entries[name] = entry
            if !map.filesChanged() { return map }
            logger.info("files of map changed; reloading", metadata: ["map": "\(name)"])
        }
        return try await finish(name, startLoad(name))
    }

    /// Loads every map now, so the first requests do not pay for it. Returns the errors by map.
    func loadAll() async -> [String: String] {
        var failures: [String: String] = [:]
        for name in names {
            do { _ = try await map(named: name) } catch { failures[name] = String(describing: error) }
        }
        return failures
    }

    /// Health: each map's fingerprint or its load error.
    func status() -> [String: (fingerprint: String?, error: String?)] {
        entries.mapValues { ($0.map?.fingerprint, $0.error) }
    }

    private func startLoad(_ name: String) -> Task<LoadedMap, any Error> {
        let configuration = entries[name]!.configuration
        let pool = threadPool
        let task = Task {
            try await pool.runIfActive { try MapLoader.load(configuration) }
        }
        entries[name]?.reload = task
        return task
    }

    private func finish(_ name: String, _ task: Task<LoadedMap, any Error>) async throws -> LoadedMap {
        do {
            let map = try await task.value
            if entries[name]?.reload != nil {
                entries[name]?.reload = nil
                entries[name]?.map = map
                entries[name]?.error = nil
                entries[name]?.lastChecked = ContinuousClock.now
                logger.info("map loaded", metadata: ["map": "\(name)", "fingerprint": "\(map.fingerprint)", "layers": "\(map.layers.count)"])
            }
            return map
        } catch {
            if entries[name]?.reload != nil {
                entries[name]?.reload = nil
                entries[name]?.error = String(describing: error)
                entries[name]?.lastChecked = ContinuousClock.now
                logger.error("map failed to load", metadata: ["map": "\(name)", "error": "\(error)"])
            }
            // A broken edit keeps the last good version in service rather than taking the map down;
            // it is tried again when the files change once more.
            if var previous = entries[name]?.map {
                previous.watchedFiles = previous.watchedFiles.mapValues { _ in nil }
                for path in previous.watchedFiles.keys { previous.watchedFiles[path] = FileStamp(path: path) }
                entries[name]?.map = previous
                return previous
            }
            throw EngineError(.mapUnavailable, "map \(name) is not available")
        }
    }
}
