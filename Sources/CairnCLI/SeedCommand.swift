import ArgumentParser
import CairnCore
import CairnEngine
import Foundation
import Logging

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Pre-render tiles into the cache.")

    @OptionGroup var selection: MapSelection

    @Option(help: "Zoom levels, e.g. 10-14.")
    var zoom: String

    @Option(help: "Area as W,S,E,N in degrees (default: the map's data extent).")
    var bbox: String?

    @Option(help: "1 for 256 px tiles, 2 for @2x.")
    var scale: Int = 1

    @Option(help: "Write the tiles into this MBTiles file instead of the map's cache file.")
    var mbtiles: String?

    func run() async throws {
        let zooms = try parseZoomRange(zoom)
        let area = try bbox.map(parseBoundingBox)
        let (configuration, name) = try selection.resolve()
        var logger = Logger(label: "cairn")
        logger.logLevel = .warning
        let engine = TileEngine(configuration: configuration, logger: logger)
        let start = ContinuousClock.now
        let last = LastPrinted()
        let result: SeedProgress
        do {
            result = try await engine.seed(map: name, SeedRequest(zooms: zooms, bbox: area, scale: scale, mbtilesPath: mbtiles)) { p in
                if last.shouldPrint(p.doneTiles == p.totalTiles) {
                    FileHandle.standardError.write(Data("\r\(p.doneTiles)/\(p.totalTiles) tiles (\(p.renderedTiles) rendered, \(p.cachedTiles) already cached)".utf8))
                }
            }
        } catch {
            try await engine.shutdown()
            throw CommandFailure(message: "\(error)")
        }
        try await engine.shutdown()
        let seconds = (ContinuousClock.now - start).seconds
        print("\nseeded \(result.totalTiles) tiles: \(result.renderedTiles) rendered, \(result.cachedTiles) already cached, \(result.failedMetatiles) metatiles failed, \(String(format: "%.1f", seconds)) s")
        if result.failedMetatiles > 0 { throw ExitCode.failure }
    }
}

/// Throttles progress output to a few lines a second.
final class LastPrinted: @unchecked Sendable {
    // Guarded by `lock`: progress callbacks arrive from several tasks.
    private let lock = NSLock()
    private var last = ContinuousClock.now - .seconds(1)

    func shouldPrint(_ force: Bool) -> Bool {
        lock.lock(); defer { lock.unlock() }
        let now = ContinuousClock.now
        if force || now - last > .milliseconds(200) { last = now; return true }
        return false
    }
}

func parseBoundingBox(_ text: String) throws -> BoundingBox {
    let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard values.count == 4, let w = values[0], let s = values[1], let e = values[2], let n = values[3],
          w < e, s < n, w >= -180, e <= 180, s >= -90, n <= 90 else {
        throw ValidationError("--bbox: expected W,S,E,N in degrees with W < E and S < N, got \"\(text)\"")
    }
    return BoundingBox(minX: w, minY: s, maxX: e, maxY: n)
}
