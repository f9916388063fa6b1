import CairnConfiguration
import CairnPostGIS
import CairnCore
import CairnProjection
import CairnSources
import CairnStyle
import Foundation

/// Builds a `LoadedMap`: parses the style, reads each source layer it uses once (only the
/// attributes its layers need), reprojects it into the grid and indexes it.
public enum MapLoader {
    /// Bumped whenever a renderer change alters pixels, so old cached tiles stop being served.
    public static let rendererVersion = "cairn-render-1"

    /// - Parameters:
    ///   - databases: the configured databases' names, which `postgis://NAME` sources must name.
    ///   - remoteHosts: the hosts remote (`"remote": true`) sources may read from (`remote_hosts:`).
    public static func load(_ configuration: MapConfiguration, grid: TileGrid = .webMercator, databases: Set<String> = [],
                            remoteHosts: Set<String> = []) throws -> LoadedMap {
        let styleStamp = FileStamp(path: configuration.stylePath)
        let style = try Style.load(path: configuration.stylePath)
        let styleBytes = FileManager.default.contents(atPath: configuration.stylePath) ?? Data()

        // Which attributes each (source, source-layer) must carry.
        var wanted: [String: (source: String, sourceLayer: String?, attributes: Set<String>)] = [:]
        for layer in style.layers where layer.type != .background {
            guard let source = layer.source else { continue }
            let key = LoadedMap.layerKey(source: source, sourceLayer: layer.sourceLayer)
            var entry = wanted[key] ?? (source, layer.sourceLayer, [])
            entry.attributes.formUnion(layer.requiredAttributes)
            wanted[key] = entry
        }

        var fingerprint = Fingerprinter()
        fingerprint.add(rendererVersion)
        fingerprint.add(grid.identifier)
        fingerprint.add(styleBytes)
        var watched: [String: FileStamp?] = [configuration.stylePath: styleStamp]
        var layers: [String: ProjectedLayer] = [:]
        var bounds = BoundingBox.empty
        var readers: [String: any LayerReader] = [:]
        var dataWarnings: [String] = []

        let sprites = try SpriteLoader.load(style.sprites, stylePath: configuration.stylePath, map: configuration.name)
        for path in sprites.files {
            let stamp = FileStamp(path: path)
            watched[path] = stamp
            fingerprint.add(path)
            fingerprint.add(stamp?.size ?? 0)
            fingerprint.add(stamp?.modifiedNanoseconds ?? 0)
        }

        var vectorSources: [String: LoadedVectorSource] = [:]
        for id in Set(wanted.values.map(\.source)).sorted() {
            guard let source = style.sources[id], source.isMBTiles else { continue }
            let path = source.resolvedPath
            guard isWebMercatorQuad(grid) else {
                throw EngineError(.invalidConfiguration,
                                  "map \(configuration.name): source \"\(id)\" is an MBTiles of vector tiles, which renders only in WebMercatorQuad, not \(grid.identifier); remove \(grid.identifier) from the map's grids",
                                  detail: "\(configuration.stylePath): sources.\(id): \(path)")
            }
            let stamp = FileStamp(path: path)
            watched[path] = stamp
            fingerprint.add(path)
            fingerprint.add(stamp?.size ?? 0)
            fingerprint.add(stamp?.modifiedNanoseconds ?? 0)
            let tiles = try MBTilesVectorSource(path: path)
            let minzoom = max(tiles.metadata.minzoom, Int(source.minzoom.rounded(.up)))
            let maxzoom = max(minzoom, min(tiles.metadata.maxzoom, Int(source.maxzoom.rounded(.down))))
            vectorSources[id] = LoadedVectorSource(id: id, source: tiles, minzoom: minzoom, maxzoom: maxzoom)
            if let degrees = tiles.metadata.bounds {
                let clamped = BoundingBox(minX: max(degrees.minX, -180), minY: max(degrees.minY, -85.0511),
                                          maxX: min(degrees.maxX, 180), maxY: min(degrees.maxY, 85.0511))
                bounds.extend(with: WebMercator.project(clamped))
            }
        }

        let postgisLayers = try postgisLayerSources(style: style, wanted: wanted, configuration: configuration, databases: databases)
        for key in postgisLayers.keys.sorted() {
            // Database and table names, not the data: edits in the database are handled by expiry.
            guard let layer = postgisLayers[key] else { continue }
            fingerprint.add("postgis")
            fingerprint.add(layer.database)
            fingerprint.add(layer.table.description)
        }

        for key in wanted.keys.sorted() {
            guard let entry = wanted[key], let source = style.sources[entry.source], !source.isMBTiles, !source.isPostGIS else { continue }
            let path = source.resolvedPath
            for file in source.remote ? [] : SourceOpener.dependentFiles(of: path) where FileManager.default.fileExists(atPath: file) {
                let stamp = FileStamp(path: file)
                watched[file] = stamp
                fingerprint.add(file)
                fingerprint.add(stamp?.size ?? 0)
                fingerprint.add(stamp?.modifiedNanoseconds ?? 0)
            }
            let reader: any LayerReader
            if let existing = readers[path] {
                reader = existing
            } else {
                reader = try SourceOpener.reader(for: source, remoteHosts: remoteHosts)
                readers[path] = reader
            }
            let data = try reader.read(LayerQuery(layer: entry.sourceLayer, attributes: entry.attributes))
            dataWarnings += data.warnings.map { "\(path): layer \(data.name): \($0)" }
            guard let crs = source.crs ?? data.crs else {
                throw SourceError(.malformed, path: path, "layer \(data.name) declares no CRS; add \"crs\": \"EPSG:…\" to source \"\(entry.source)\" in \(configuration.stylePath)")
            }
            let layer = try ProjectedLayer(name: data.name, features: data.features, from: crs, to: grid.crs)
            bounds.extend(with: layer.bounds)
            layers[key] = layer
        }

        let geographic: BoundingBox
        if bounds.isEmpty {
            geographic = BoundingBox(minX: -180, minY: -85.0511, maxX: 180, maxY: 85.0511)
        } else if grid.crs == .webMercator {
            geographic = WebMercator.unproject(bounds)
        } else {
            geographic = try transformBoundingBox(bounds, from: grid.crs, to: .wgs84)
        }
        var map = LoadedMap(configuration: configuration, style: style, grid: grid, layers: layers,
                            fingerprint: fingerprint.hex, geographicBounds: geographic, watchedFiles: watched)
        map.dataBounds = bounds
        map.dataWarnings = dataWarnings
        map.vectorSources = vectorSources
        map.sprites = sprites.atlas
        map.postgisLayers = postgisLayers
        if grid.crs == .webMercator {
            map.mercatorMetresPerGridUnit = 1
        } else if grid.isGeographic {
            map.mercatorMetresPerGridUnit = grid.metersPerUnit
        } else {
            map.mercatorMetresPerGridUnit = 1 / cos(geographic.center.y * .pi / 180)
        }
        return map
    }

    /// The layers read from PostGIS, with their names checked: the database must be configured and
    /// `source-layer` must be a plain table name (nothing else ever reaches SQL text).
    private static func postgisLayerSources(
        style: Style, wanted: [String: (source: String, sourceLayer: String?, attributes: Set<String>)],
        configuration: MapConfiguration, databases: Set<String>
    ) throws -> [String: PostGISLayerSource] {
        var result: [String: PostGISLayerSource] = [:]
        for (index, layer) in style.layers.enumerated() {
            guard let sourceID = layer.source, let source = style.sources[sourceID], let database = source.database else { continue }
            let at = "\(configuration.stylePath): layers[\(index)] (\"\(layer.id)\")"
            guard databases.contains(database) else {
                throw EngineError(.invalidConfiguration,
                                  "map \(configuration.name): \(configuration.stylePath): sources.\(sourceID): postgis://\(database) names no database of the configuration's `databases:`\(databases.isEmpty ? " (none is configured)" : " (configured: \(databases.sorted().joined(separator: ", ")))")")
            }
            guard let sourceLayer = layer.sourceLayer else {
                throw EngineError(.invalidConfiguration, "map \(configuration.name): \(at): expected a \"source-layer\" naming a table or view of database \(database)")
            }
            let table: PostGISTableName
            do {
                table = try PostGISName.table(sourceLayer)
            } catch let error as PostGISError {
                throw EngineError(.invalidConfiguration, "map \(configuration.name): \(at).source-layer: \(error.message)")
            }
            if let column = source.geometryColumn, !PostGISName.isAcceptable(column) {
                throw EngineError(.invalidConfiguration, "map \(configuration.name): \(configuration.stylePath): sources.\(sourceID).geometry: expected a column name of letters, digits, '_', '$' and '-', got \"\(column)\"")
            }
            let key = LoadedMap.layerKey(source: sourceID, sourceLayer: sourceLayer)
            let attributes = wanted[key]?.attributes ?? []
            // Column names are quoted in SQL (quotes doubled); these could never name a column.
            for attribute in attributes where attribute.isEmpty || attribute.utf8.count > 63 || attribute.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\"" }) {
                throw EngineError(.invalidConfiguration, "map \(configuration.name): \(at): the style reads attribute \"\(attribute)\", which cannot be a column of table \(table)")
            }
            result[key] = PostGISLayerSource(source: sourceID, database: database, table: table, geometryColumn: source.geometryColumn,
                                             crs: source.crs, attributes: attributes)
        }
        return result
    }

    /// Vector tiles are cut in Web Mercator at XYZ levels: only that grid maps a metatile onto source tiles.
    private static func isWebMercatorQuad(_ grid: TileGrid) -> Bool {
        let reference = TileGrid.webMercator
        return grid.crs == reference.crs && grid.tileSize == reference.tileSize && grid.origin == reference.origin
            && grid.resolutions.first.map { abs($0 - reference.resolution(at: 0)) < 1e-6 } == true
    }
}
