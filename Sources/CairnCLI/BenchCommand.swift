import CairnConfiguration
import ArgumentParser
import CairnCore
import CairnEngine
import CairnRender
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Renders a fixed tile set on one core and reports tiles per second, the way the Mapnik
/// reference benchmark in ../shared/bench counts them (render + PNG encode, map load excluded).
/// The map load is timed on its own; `--load-only` repeats just the load (how scripts/bench compares
/// the native readers with GDAL/OGR).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure rendering speed (or map loading) on one core.")

    @Option(help: "A MapLibre style JSON file.")
    var style: String

    @Option(help: "Zoom levels, e.g. 12-16.")
    var zooms: String = "12-16"

    @Option(help: "Area as W,S,E,N in degrees (not needed with --load-only).")
    var bbox: String?

    @Option(name: .customLong("repeat"), help: "How many times to render the whole set (or load the map); the median is reported.")
    var repetitions: Int = 3

    @Flag(help: "Only load the map (read, reproject and index every layer the style uses) --repeat times; render nothing.")
    var loadOnly = false

    @Option(help: "Metatile size for the metatile pass.")
    var metatile: Int = 4

    @Option(help: "1 for 256 px tiles, 2 for @2x.")
    var scale: Int = 1

    @Option(help: "Write the figures as JSON to this file.")
    var json: String?

    @Option(help: "Tile encoding of the render figures: png32 (the default, as the Mapnik reference's agg-png32), png8 or webp.")
    var format: String = "png32"

    @Flag(help: "Also measure MVT: encoding the same tiles, and decoding + rendering them from an MBTiles of MVT.")
    var mvt = false

    @Flag(help: "Only compare tile encodings (png32, png8, WebP; zlib and libdeflate): bytes and encode ms per tile.")
    var formatsOnly = false

    @Option(help: "With --formats-only: write side-by-side comparison PNGs (png32 | png8 | webp) into this folder.")
    var compareDirectory: String?

    func validate() throws {
        if bbox == nil && !loadOnly { throw ValidationError("Missing expected argument '--bbox <bbox>' (only --load-only goes without it)") }
        if TileImageFormat(rawValue: format) == nil { throw ValidationError("--format: expected png32, png8 or webp, got '\(format)'") }
    }

    func run() async throws {
        let stylePath = URL(fileURLWithPath: style).standardized.path
        if loadOnly { return try measureLoading(stylePath: stylePath) }
        let zoomRange = try parseZoomRange(zooms)
        let area = WebMercator.project(try parseBoundingBox(bbox ?? ""))
        let loadStart = ContinuousClock.now
        let map = try MapLoader.load(MapConfiguration(name: "bench", stylePath: stylePath))
        let loadSeconds = (ContinuousClock.now - loadStart).seconds
        print(String(format: "cairn: map loaded in %.3f s (read, reproject, index)", loadSeconds))
        var tiles: [TileCoordinate] = []
        for z in zoomRange {
            if let range = map.grid.tileRange(covering: area, at: z) { tiles.append(contentsOf: range) }
        }
        let tileSet = Set(tiles)
        if formatsOnly { return try measureFormats(map: map, tiles: tiles) }
        var metatiles: [Metatile] = []
        var seen: Set<TileCoordinate> = []
        for tile in tiles {
            let block = Metatile(containing: tile, size: metatile, in: map.grid)
            if seen.insert(block.origin).inserted { metatiles.append(block) }
        }
        let metatileTileCount = metatiles.reduce(0) { $0 + $1.columns * $1.rows }

        let encoding = TileImageFormat(rawValue: format) ?? .png32
        var singleRates: [Double] = []
        var metaRates: [Double] = []
        var perTile: [Double] = []
        var singleCPURates: [Double] = []
        var metaCPURates: [Double] = []
        var bytes = 0
        for _ in 0..<max(1, repetitions) {
            var total: Duration = .zero
            bytes = 0
            let cpuStart = processCPUSeconds()
            for tile in tiles {
                let start = ContinuousClock.now
                let out = try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 1, in: map.grid), scale: scale, format: encoding)
                let elapsed = ContinuousClock.now - start
                total += elapsed
                perTile.append(elapsed.seconds * 1000)
                bytes += out[tile]?.count ?? 0
            }
            singleRates.append(Double(tiles.count) / total.seconds)
            let metaCPUStart = processCPUSeconds()
            singleCPURates.append(Double(tiles.count) / (metaCPUStart - cpuStart))
            metaRates.append(try tilesPerSecond(metatiles, tiles: metatileTileCount) { _ = try MapRenderer.render(map, metatile: $0, scale: scale, format: encoding) })
            metaCPURates.append(Double(metatileTileCount) / (processCPUSeconds() - metaCPUStart))
        }
        var result: JSONValue = [
            "tiles": JSONValue(tiles.count),
            "distinct_tiles": JSONValue(tileSet.count),
            "metatiles": JSONValue(metatiles.count),
            "metatile_tiles": JSONValue(metatileTileCount),
            "tiles_per_second": JSONValue(median(singleRates)),
            "metatile_tiles_per_second": JSONValue(median(metaRates)),
            "ms_per_tile_median": JSONValue(median(perTile)),
            "bytes": JSONValue(bytes),
            "repeat": JSONValue(repetitions),
            "scale": JSONValue(scale),
            "load_seconds": JSONValue(loadSeconds),
            // Per CPU second of the process: what other programs on a busy core do not change.
            "cpu_tiles_per_second": JSONValue(median(singleCPURates)),
            "cpu_metatile_tiles_per_second": JSONValue(median(metaCPURates)),
        ]
        print(String(format: "cairn: %d tiles, %.0f tiles/s single, %.0f tiles/s with %dx%d metatiles (%d tiles), %.2f ms/tile median, %d bytes",
                     tiles.count, median(singleRates), median(metaRates), metatile, metatile, metatileTileCount, median(perTile), bytes))
        if mvt {
            let figures = try measureVectorTiles(map: map, tiles: tiles, metatiles: metatiles, metatileTileCount: metatileTileCount,
                                                 area: area, zoomRange: zoomRange)
            for member in figures.objectMembers ?? [] { result[member: member.key] = member.value }
        }
        if let json {
            try Data((result.text + "\n").utf8).write(to: URL(fileURLWithPath: json))
        }
    }

    /// Loads the map --repeat times. The first load also pays one-time costs (GDAL driver
    /// registration, PROJ's database, page cache), so the median of the repeats is the figure compared.
    /// Loading runs on one thread, so the process's CPU time is the load's own work, which other
    /// programs on the same core do not inflate as they do the wall time.
    func measureLoading(stylePath: String) throws {
        var runs: [Double] = []
        var cpuRuns: [Double] = []
        var featureCounts: [String: Int] = [:]
        for _ in 0..<max(1, repetitions) {
            let start = ContinuousClock.now
            let cpuStart = processCPUSeconds()
            let map = try MapLoader.load(MapConfiguration(name: "bench", stylePath: stylePath))
            cpuRuns.append(processCPUSeconds() - cpuStart)
            runs.append((ContinuousClock.now - start).seconds)
            featureCounts = [:]
            for layer in map.layers.values { featureCounts[layer.name, default: 0] += layer.features.count }
        }
        let features = featureCounts.values.reduce(0, +)
        print(String(format: "cairn load: %d layers, %d features; %.3f s median of %d loads (first %.3f s, min %.3f s, max %.3f s); CPU %.3f s median",
                     featureCounts.count, features, median(runs), runs.count, runs[0], runs.min() ?? 0, runs.max() ?? 0, median(cpuRuns)))
        let result: JSONValue = [
            "load_seconds_median": JSONValue(median(runs)),
            "load_seconds_first": JSONValue(runs[0]),
            "load_seconds_runs": .array(runs.map { JSONValue($0) }),
            "load_cpu_seconds_median": JSONValue(median(cpuRuns)),
            "load_cpu_seconds_runs": .array(cpuRuns.map { JSONValue($0) }),
            "layers": JSONValue(sorting: featureCounts.mapValues { JSONValue($0) }),
            "features": JSONValue(features),
            "repeat": JSONValue(runs.count),
        ]
        if let json {
            try Data((result.text + "\n").utf8).write(to: URL(fileURLWithPath: json))
        }
    }

    func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// MVT encode tiles/s on the same tile set; then the same tiles rendered from an MBTiles of
    /// Cairn's own MVT of the data (levels z − 1, as MapLibre reads them), with the share of
    /// pixels that differ from the direct render.
    func measureVectorTiles(map: LoadedMap, tiles: [TileCoordinate], metatiles: [Metatile], metatileTileCount: Int,
                            area: BoundingBox, zoomRange: ClosedRange<Int>) throws -> JSONValue {
        let plan = VectorLayerPlan(map: map)
        var encodeRates: [Double] = []
        var encodedBytes = 0
        for _ in 0..<max(1, repetitions) {
            encodedBytes = 0
            encodeRates.append(try tilesPerSecond(tiles, tiles: tiles.count) {
                encodedBytes += try VectorTileBuilder.encodeCompressed(map, plan: plan, tile: $0).count
            })
        }

        // The source levels a render of these tiles reads, with a tile of margin for the buffer.
        var sourceTiles: [TileCoordinate] = []
        for level in max(0, zoomRange.lowerBound - 1)...max(0, zoomRange.upperBound - 1) {
            let margin = map.grid.resolution(at: level) * 256
            if let range = map.grid.tileRange(covering: area.expanded(by: margin), at: level) { sourceTiles.append(contentsOf: range) }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-bench-mvt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mbtiles = folder.appendingPathComponent("bench.mbtiles").path
        let exported = try VectorTileExport.write(map, tiles: sourceTiles, to: mbtiles)
        let styleData = try Data(contentsOf: URL(fileURLWithPath: map.configuration.stylePath))
        let stylePath = folder.appendingPathComponent("bench-mvt.json").path
        try VectorTileExport.styleReadingExport(of: map, styleJSON: styleData, mbtilesPath: mbtiles)
            .write(to: URL(fileURLWithPath: stylePath))
        let vectorMap = try MapLoader.load(MapConfiguration(name: "bench-mvt", stylePath: stylePath))

        var renderRates: [Double] = []
        var metaRates: [Double] = []
        var differing = 0, pixels = 0
        for repetition in 0..<max(1, repetitions) {
            var total: Duration = .zero
            for tile in tiles {
                let start = ContinuousClock.now
                let out = try MapRenderer.render(vectorMap, metatile: Metatile(containing: tile, size: 1, in: vectorMap.grid), scale: scale)
                total += ContinuousClock.now - start
                if repetition == 0, let fromMVT = out[tile],
                   let direct = try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 1, in: map.grid), scale: scale)[tile] {
                    let comparison = try ImageComparison.compare(expected: direct, actual: fromMVT, channelThreshold: 16)
                    differing += comparison.differingPixels
                    pixels += comparison.totalPixels
                }
            }
            renderRates.append(Double(tiles.count) / total.seconds)
            metaRates.append(try tilesPerSecond(metatiles, tiles: metatileTileCount) { _ = try MapRenderer.render(vectorMap, metatile: $0, scale: scale) })
        }
        let differingPercent = pixels == 0 ? 0 : 100 * Double(differing) / Double(pixels)
        print(String(format: "cairn mvt: encode+gzip %.0f tiles/s (%d bytes); decode+render from MBTiles %.0f tiles/s single, %.0f tiles/s metatiles; %d source tiles (%d bytes); %.2f %% of pixels differ from the direct render",
                     median(encodeRates), encodedBytes, median(renderRates), median(metaRates), exported.tiles, exported.bytes, differingPercent))
        return [
            "mvt_encode_tiles_per_second": JSONValue(median(encodeRates)),
            "mvt_encode_bytes": JSONValue(encodedBytes),
            "mvt_render_tiles_per_second": JSONValue(median(renderRates)),
            "mvt_render_metatile_tiles_per_second": JSONValue(median(metaRates)),
            "mvt_source_tiles": JSONValue(exported.tiles),
            "mvt_source_bytes": JSONValue(exported.bytes),
            "mvt_render_differing_pixels_percent": JSONValue(differingPercent),
        ]
    }

    /// Tiles per second of running `body` once for each item (only the time inside `body` counts).
    func tilesPerSecond<Item>(_ items: [Item], tiles: Int, _ body: (Item) throws -> Void) rethrows -> Double {
        var total: Duration = .zero
        for item in items {
            let start = ContinuousClock.now
            try body(item)
            total += ContinuousClock.now - start
        }
        return Double(tiles) / total.seconds
    }

    func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
