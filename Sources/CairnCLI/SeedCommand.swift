import ArgumentParser
import CairnCore
import CairnEngine
import Foundation
import Logging

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Pre-render tiles into the cache.",
        discussion: """
        Renders every metatile with tiles touching the area, skipping tiles already cached from the current \
        style and data. Safe to interrupt at any moment (even kill -9): run the same command again and it \
        renders only what is missing. Exit status 0 only when every tile of the area is in the cache; 1 when \
        tiles failed (see --retry-failed); 3 when --max-duration stopped the run early.
        """
    )

    enum ProgressStyle: String, ExpressibleByArgument { case bar, json, none }

    @OptionGroup var selection: MapSelection
    @OptionGroup var area: AreaOptions

    @Option(help: "Zoom levels, e.g. 10-16.")
    var zoom: String

    @Option(help: "1 for 256 px tiles, 2 for @2x.")
    var scale: Int = 1

    @Option(help: "Write the tiles into this MBTiles file instead of the map's cache file.")
    var mbtiles: String?

    @Flag(help: "Print how many tiles and metatiles each zoom would take, and stop.")
    var dryRun = false

    @Flag(help: "Only re-render cached tiles that are stale (expired, or from an older style or data version).")
    var staleOnly = false

    @Flag(help: "Only re-render the tiles earlier runs recorded as failed.")
    var retryFailed = false

    @Option(help: "Stop starting new metatiles after this long (e.g. 30m, 2h); run again to continue.")
    var maxDuration: String?

    @Option(help: "Concurrent renders (default: the number of cores).")
    var workers: Int?

    @Option(help: "Tiles per metatile side (default: the map's, 8 unless configured).")
    var metatile: Int?

    @Option(help: "bar (on a terminal), json (one object per line on stdout), or none.")
    var progress: ProgressStyle?

    func validate() throws {
        guard scale == 1 || scale == 2 else { throw ValidationError("--scale: expected 1 or 2") }
        if let workers, workers < 1 || workers > 256 { throw ValidationError("--workers: expected 1 to 256") }
        if let metatile, metatile < 1 || metatile > 16 { throw ValidationError("--metatile: expected 1 to 16") }
    }

    func run() async throws {
        let zooms = try parseZoomRange(zoom)
        var (configuration, name) = try selection.resolve()
        if let metatile, let index = configuration.maps.firstIndex(where: { $0.name == name }) {
            configuration.maps[index].metatileSize = metatile
        }
        let request = SeedRequest(zooms: zooms, area: try area.specification(), scale: scale, mbtilesPath: mbtiles,
                                  staleOnly: staleOnly, retryFailed: retryFailed,
                                  maxDuration: try maxDuration.map(parseDuration), workers: workers)
        var logger = Logger(label: "cairn")
        logger.logLevel = .warning
        let engine = TileEngine(configuration: configuration, logger: logger)
        defer { Task { try? await engine.shutdown() } }

        if dryRun {
            let plan = try await engine.planSeed(map: name, request)
            print("zoom  tiles  metatiles")
            for level in plan.levels { print(String(format: "%4d %6d %10d", level.zoom, level.tiles, level.metatiles)) }
            print(String(format: "all  %6d %10d", plan.totalTiles, plan.totalMetatiles))
            return
        }

        let style = progress ?? (isatty(STDERR_FILENO) == 1 ? .bar : .none)
        let printer = ProgressPrinter(style: style)
        let result: SeedProgress
        do {
            result = try await engine.seed(map: name, request) { printer.report($0) }
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        printer.finish(result)
        if result.failedTiles > 0 {
            throw CommandFailure(message: "\(result.failedTiles) tiles failed; run again with --retry-failed to re-render just those")
        }
        if result.stoppedEarly { throw ExitCode(3) }
    }
}

/// Progress on a terminal (a bar, redrawn in place) or as JSON lines for scripts.
final class ProgressPrinter: @unchecked Sendable {
    // Guarded by `lock`: reports arrive from the seeding task.
    private let lock = NSLock()
    private let style: SeedCommand.ProgressStyle
    private var lastPrint = ContinuousClock.now - .seconds(1)

    init(style: SeedCommand.ProgressStyle) { self.style = style }

    func report(_ p: SeedProgress) {
        lock.lock(); defer { lock.unlock() }
        let now = ContinuousClock.now
        guard now - lastPrint > .milliseconds(style == .json ? 1000 : 200) || p.doneTiles == p.totalTiles else { return }
        lastPrint = now
        switch style {
        case .none: return
        case .json: Self.writeLine(Self.json(p, event: "progress"))
        case .bar:
            let width = 30
            let fraction = p.totalTiles == 0 ? 1 : Double(p.doneTiles) / Double(p.totalTiles)
            let filled = Int(fraction * Double(width))
            let eta = p.etaSeconds.map(Self.clock) ?? "--:--"
            let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
                + "\(p.doneTiles)/\(p.totalTiles) tiles  \(Int(p.tilesPerSecond)) tiles/s  ETA \(eta)  "
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish(_ p: SeedProgress) {
        lock.lock(); defer { lock.unlock() }
        if style == .json {
            Self.writeLine(Self.json(p, event: "summary"))
            return
        }
        if style == .bar { FileHandle.standardError.write(Data("\n".utf8)) }
        let megabytes = Double(p.bytes) / 1_048_576
        print(String(format: "seeded %d tiles: %d rendered, %d already cached, %d blank, %d failed, %.1f MB, %.1f s%@",
                     p.totalTiles, p.renderedTiles, p.cachedTiles, p.blankTiles, p.failedTiles, megabytes, p.elapsedSeconds,
                     p.stoppedEarly ? " (stopped early; run again to continue)" : ""))
    }

    /// Written straight to the file descriptor: `print` is block-buffered on a pipe, and scripts
    /// reading the progress live would otherwise see nothing until the end.
    static func writeLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func json(_ p: SeedProgress, event: String) -> String {
        var object: [String: Any] = [
            "event": event, "total": p.totalTiles, "metatiles": p.totalMetatiles, "done": p.doneTiles,
            "rendered": p.renderedTiles, "cached": p.cachedTiles, "blank": p.blankTiles, "failed": p.failedTiles,
            "bytes": p.bytes, "seconds": (p.elapsedSeconds * 1000).rounded() / 1000,
            "tiles_per_second": p.tilesPerSecond.rounded(), "stopped_early": p.stoppedEarly,
        ]
        if let eta = p.etaSeconds { object["eta_seconds"] = eta.rounded() }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds)
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
