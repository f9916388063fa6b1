import ArgumentParser
import CairnCore
import CairnEngine
import Foundation

/// Renders a fixed tile set on one core and reports tiles per second, the way the Mapnik
/// reference benchmark in ../shared/bench counts them (render + PNG encode, map load excluded).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure rendering speed on one core.")

    @Option(help: "A MapLibre style JSON file.")
    var style: String

    @Option(help: "Zoom levels, e.g. 12-16.")
    var zooms: String = "12-16"

    @Option(help: "Area as W,S,E,N in degrees.")
    var bbox: String

    @Option(name: .customLong("repeat"), help: "How many times to render the whole set; the median is reported.")
    var repetitions: Int = 3

    @Option(help: "Metatile size for the metatile pass.")
    var metatile: Int = 4

    @Option(help: "1 for 256 px tiles, 2 for @2x.")
    var scale: Int = 1

    @Option(help: "Write the figures as JSON to this file.")
    var json: String?

    func run() async throws {
        let zoomRange = try parseZoomRange(zooms)
        let area = WebMercator.project(try parseBoundingBox(bbox))
        let map = try MapLoader.load(MapConfiguration(name: "bench", stylePath: URL(fileURLWithPath: style).standardized.path))
        var tiles: [TileCoordinate] = []
        for z in zoomRange {
            if let range = map.grid.tileRange(covering: area, at: z) { tiles.append(contentsOf: range) }
        }
        let tileSet = Set(tiles)
        var metatiles: [Metatile] = []
        var seen: Set<TileCoordinate> = []
        for tile in tiles {
            let block = Metatile(containing: tile, size: metatile, in: map.grid)
            if seen.insert(block.origin).inserted { metatiles.append(block) }
        }
        let metatileTileCount = metatiles.reduce(0) { $0 + $1.columns * $1.rows }

        var singleRates: [Double] = []
        var metaRates: [Double] = []
        var perTile: [Double] = []
        var bytes = 0
        for _ in 0..<max(1, repetitions) {
            var total: Duration = .zero
            bytes = 0
            for tile in tiles {
                let start = ContinuousClock.now
                let out = try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 1, in: map.grid), scale: scale)
                let elapsed = ContinuousClock.now - start
                total += elapsed
                perTile.append(elapsed.seconds * 1000)
                bytes += out[tile]?.count ?? 0
            }
            singleRates.append(Double(tiles.count) / total.seconds)
            var metaTotal: Duration = .zero
            for block in metatiles {
                let start = ContinuousClock.now
                _ = try MapRenderer.render(map, metatile: block, scale: scale)
                metaTotal += ContinuousClock.now - start
            }
            metaRates.append(Double(metatileTileCount) / metaTotal.seconds)
        }
        let result: [String: Any] = [
            "tiles": tiles.count,
            "distinct_tiles": tileSet.count,
            "metatiles": metatiles.count,
            "metatile_tiles": metatileTileCount,
            "tiles_per_second": median(singleRates),
            "metatile_tiles_per_second": median(metaRates),
            "ms_per_tile_median": median(perTile),
            "bytes": bytes,
            "repeat": repetitions,
            "scale": scale,
        ]
        print(String(format: "cairn: %d tiles, %.0f tiles/s single, %.0f tiles/s with %dx%d metatiles (%d tiles), %.2f ms/tile median, %d bytes",
                     tiles.count, median(singleRates), median(metaRates), metatile, metatile, metatileTileCount, median(perTile), bytes))
        if let json {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys, .prettyPrinted])
            try data.write(to: URL(fileURLWithPath: json))
        }
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
