import CairnConfiguration
import CairnPostGIS
import Logging
import Synchronization

/// What `cairn validate` checks of a map's PostGIS layers against the live databases: each database
/// answers (else why not: authentication, network), and each table exists, has a geometry column
/// with an SRID (or the source gives a `crs`) and has every column the style reads.
public final class PostGISValidation: Sendable {
    public struct Line: Sendable {
        public var ok: Bool
        /// Worth saying, not a failure.
        public var warning = false
        public var text: String
    }

    private let databases: PostGISDatabases
    /// Each database's answer, asked once however many maps use it (nil reason: it answered).
    private let answers = Mutex<[String: String?]>([:])
    public let databaseNames: Set<String>

    public init(configuration: CairnConfiguration) {
        var logger = Logger(label: "cairn")
        logger.logLevel = .critical
        databases = PostGISDatabases(configurations: configuration.databases, logger: logger)
        databaseNames = Set(configuration.databases.keys)
    }

    /// Runs `body` with the databases' clients running.
    public func whileRunning<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await databases.whileRunning(body)
    }

    /// One line per database that fails and per table of `map`.
    public func check(_ map: LoadedMap) async -> [Line] {
        var reachable = answers.withLock { $0 }
        let lines = await Self.check(map, databases: databases, reachable: &reachable)
        answers.withLock { $0.merge(reachable) { _, new in new } }
        return lines
    }

    /// One line per database that fails and per table, for `map`. `reachable` remembers each
    /// database's answer across maps (nil reason: it answered).
    public static func check(_ map: LoadedMap, databases: PostGISDatabases, reachable: inout [String: String?]) async -> [Line] {
        var lines: [Line] = []
        let layers = map.postgisLayers.values.sorted { ($0.database, $0.table.description, $0.source) < ($1.database, $1.table.description, $1.source) }
        var seen: Set<PostGISLayerSource> = []
        for layer in layers where seen.insert(layer).inserted {
            guard let database = databases[layer.database] else {
                lines.append(Line(ok: false, text: "map \(map.name): no database \(layer.database) is configured"))
                continue
            }
            if reachable[layer.database] == nil {
                do {
                    try await database.probe()
                    reachable[layer.database] = .some(nil)
                } catch {
                    let reason = database.health.reason ?? "\(error)"
                    reachable[layer.database] = .some(reason)
                    lines.append(Line(ok: false, text: "database \(layer.database) (\(database.configuration.displayURL)): \(reason)"))
                }
            }
            if case .some(.some) = reachable[layer.database] { continue }
            let at = "map \(map.name): \(map.styleFileName): source \"\(layer.source)\" (database \(layer.database))"
            do {
                let table = try await database.table(layer.table, geometryColumn: layer.geometryColumn, crs: layer.crs)
                let missing = table.missingColumns(layer.attributes)
                if !missing.isEmpty {
                    // As from files, a missing attribute reads as missing (styles coalesce alternative
                    // names): said, but not a failure.
                    lines.append(Line(ok: true, warning: true, text: "\(at): \(table.missingColumnsMessage(missing)) (the style reads them; they read as missing)"))
                }
                let srid = table.srid == 0 ? "no SRID, crs \(table.crs) from the source" : "SRID \(table.srid)"
                let read = layer.attributes.count - missing.count
                lines.append(Line(ok: true, text: "\(at): table \(table.name): geometry \"\(table.geometryColumn)\" (\(srid)), \(read) column(s) read"))
            } catch {
                lines.append(Line(ok: false, text: "\(at): \(error)"))
            }
        }
        return lines
    }
}
