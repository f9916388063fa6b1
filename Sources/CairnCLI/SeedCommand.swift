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
        tiles failed (see --retry-failed) or the cache's disk filled up (the run stops: free space and run it \
        again); 3 when --max-duration stopped the run early. --dry-run creates no file (it opens an existing one \
        only with --stale-only or --retry-failed). \
        --format pbf encodes the map's vector tiles (Web Mercator only) into NAME.pbf.mbtiles, the file \
        the server answers .pbf requests from, tile by tile in batches of 16 per transaction. \
        --shard K/N seeds only what a cluster's front (deploy/nginx) sends to instance K of the configuration's \
        cluster.instances: run it on each instance with the same area and zooms (see deploy/README.md).
        """
    )

    enum ProgressStyle: String, ExpressibleByArgument { case bar, json, none }

    @OptionGroup var selection: MapSelection
    @OptionGroup var area: AreaOptions

    @Option(help: "Zoom levels, e.g. 10-16.")
    var zoom: String

    @Option(help: "1 for 256 px tiles, 2 for @2x (PNG only).")
    var scale: Int = 1

    @Option(help: "png, pbf (vector tiles), or png,pbf for both.")
    var format: String = "png"

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

    @Option(help: "Tiles per metatile side (default: the map's, 8 unless configured; PNG only).")
    var metatile: Int?

    @Option(help: "bar (on a terminal), json (one object per line on stdout), or none.")
    var progress: ProgressStyle?

    @Option(help: "K/N: only the metatiles the cluster's front sends to instance K of the N in the configuration's cluster.instances (1-based).")
    var shard: String?

    func validate() throws {
        guard scale == 1 || scale == 2 else { throw ValidationError("--scale: expected 1 or 2") }
        if let workers, workers < 1 || workers > 256 { throw ValidationError("--workers: expected 1 to 256") }
        if let metatile, metatile < 1 || metatile > 16 { throw ValidationError("--metatile: expected 1 to 16") }
        let formats = try formats()
        if scale != 1 && !formats.contains(.png) && !formats.contains(.webp) { throw ValidationError("--scale: vector tiles (pbf) have no scale") }
        if formats.count > 1 && mbtiles != nil {
            throw ValidationError("--mbtiles: give one --format with it (PNG and vector tiles go in separate files)")
        }
    }

    func formats() throws -> [TileFormat] { try parseFormats(format) }

    func run() async throws {
        let zooms = try parseZoomRange(zoom)
        var (configuration, name) = try selection.resolve()
        // The ring keys metatiles at the configured size, the one the front's table has, whatever --metatile says.
        let seedShard = try shard.map { text -> SeedShard in
            guard let map = configuration.maps.first(where: { $0.name == name }) else { throw CommandFailure(message: "no map named \(name)") }
            do { return try SeedShard(text, cluster: configuration.cluster, map: map) } catch let error as EngineError {
                throw CommandFailure(message: error.operatorText)
            }
        }
        if let metatile, let index = configuration.maps.firstIndex(where: { $0.name == name }) {
            configuration.maps[index].metatileSize = metatile
        }
        let formats = try formats()
        let limit = try maxDuration.map(parseDuration)
        func request(_ format: TileFormat, maxDuration: Duration?) throws -> SeedRequest {
            SeedRequest(zooms: zooms, area: try area.specification(), scale: scale, mbtilesPath: mbtiles,
                        staleOnly: staleOnly, retryFailed: retryFailed, maxDuration: maxDuration, workers: workers, format: format,
                        shard: seedShard)
        }
        var logger = Logger(label: "cairn")
        logger.logLevel = .warning
        let engine = TileEngine(configuration: configuration, logger: logger)
        defer { Task { try? await engine.shutdown() } }

        if dryRun {
            for format in formats {
                let plan: SeedPlan
                do {
                    plan = try await engine.planSeed(map: name, request(format, maxDuration: nil))
                } catch let error as EngineError {
                    throw CommandFailure(message: error.operatorText)
                }
                if formats.count > 1 { print("\(format.rawValue):") }
                // Vector tiles are encoded one by one and committed in batches, not rendered by metatile.
                // Columns as wide as the totals (the world at z22 has 14-digit counts).
                let tilesWidth = max(6, String(plan.totalTiles).count), batchesWidth = max(10, String(plan.totalMetatiles).count)
                func row(_ first: String, _ tiles: String, _ batches: String) -> String {
                    first.padding(toLength: 4, withPad: " ", startingAt: 0) + " "
                        + String(repeating: " ", count: max(0, tilesWidth - tiles.count)) + tiles + " "
                        + String(repeating: " ", count: max(0, batchesWidth - batches.count)) + batches
                }
                print(row("zoom", "tiles", format == .pbf ? "batches" : "metatiles"))
                for level in plan.levels {
                    let zoom = String(level.zoom)
                    print(row(String(repeating: " ", count: max(0, 4 - zoom.count)) + zoom, String(level.tiles), String(level.metatiles)))
                }
                print(row("all", String(plan.totalTiles), String(plan.totalMetatiles)))
            }
            return
        }

        let style = progress ?? (isatty(STDERR_FILENO) == 1 ? .bar : .none)
        let start = ContinuousClock.now
        var failed = 0
        var stoppedEarly = false
        for format in formats {
            // One time limit for the whole command: each format gets what the previous ones left.
            let left = limit.map { $0 - (ContinuousClock.now - start) }
            if let left, left <= .zero { stoppedEarly = true; break }
            let printer = ProgressPrinter(style: style, format: format)
            let result: SeedProgress
            do {
                let seedRequest = try request(format, maxDuration: left)
                let mapName = name
                result = try await engine.withDatabases { try await engine.seed(map: mapName, seedRequest) { printer.report($0) } }
            } catch let error as EngineError {
                throw CommandFailure(message: error.operatorText)
            } catch {
                throw CommandFailure(message: "\(error)")
            }
            printer.finish(result)
            if let full = result.cacheFull { throw CommandFailure(message: diskFullMessage(full, result)) }
            failed += result.failedTiles
            if result.stoppedEarly { stoppedEarly = true; break }
        }
        if failed > 0 {
            throw CommandFailure(message: "\(failed) tiles failed; run again with --retry-failed to re-render just those")
        }
        if stoppedEarly { throw ExitCode(3) }
    }
}

extension SeedCommand {
    /// The one line a seed stopped by a full disk ends with: the file, its free space, what was
    /// stored and failed, and how to go on.
    func diskFullMessage(_ full: CacheWriteError, _ result: SeedProgress) -> String {
        let space = full.space.map { "\($0)" } ?? "free space unknown"
        let recorded = result.unrecordedFailures > 0
            ? " (\(result.unrecordedFailures) of them could not be recorded; a plain rerun renders them)" : ""
        return "seeding stopped: the disk holding \(full.path) is full (\(space)); \(result.renderedTiles) tiles stored, "
            + "\(result.failedTiles) failed\(recorded), \(result.totalTiles - result.doneTiles) not started. Free some space, then run "
            + "the same command again (it renders only what is missing), or with --retry-failed for just the failed tiles"
    }
}

/// Progress on a terminal (a bar, redrawn in place) or as JSON lines for scripts.
final class ProgressPrinter: @unchecked Sendable {
    // Guarded by `lock`: reports arrive from the seeding task.
    private let lock = NSLock()
    private let style: SeedCommand.ProgressStyle
    private let format: TileFormat
    private var lastPrint = ContinuousClock.now - .seconds(1)

    init(style: SeedCommand.ProgressStyle, format: TileFormat = .png) {
        self.style = style
        self.format = format
    }

    func report(_ p: SeedProgress) {
        lock.lock(); defer { lock.unlock() }
        let now = ContinuousClock.now
        guard now - lastPrint > .milliseconds(style == .json ? 1000 : 200) || p.doneTiles == p.totalTiles else { return }
        lastPrint = now
        switch style {
        case .none: return
        case .json: Self.writeLine(Self.json(p, event: "progress", format: format))
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
            Self.writeLine(Self.json(p, event: "summary", format: format))
            return
        }
        if style == .bar { FileHandle.standardError.write(Data("\n".utf8)) }
        let megabytes = Double(p.bytes) / 1_048_576
        let vector = format == .pbf
        print(String(format: "seeded %ld %@tiles: %ld %@, %ld already cached, %ld %@, %ld failed, %.1f MB, %.1f s%@",
                     p.totalTiles, vector ? "vector " : "", p.renderedTiles, vector ? "encoded" : "rendered",
                     p.cachedTiles, p.blankTiles, vector ? "empty" : "blank", p.failedTiles, megabytes, p.elapsedSeconds,
                     p.stoppedEarly ? " (stopped early; run again to continue)" : ""))
    }

    /// Written straight to the file descriptor: `print` is block-buffered on a pipe, and scripts
    /// reading the progress live would otherwise see nothing until the end.
    static func writeLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func json(_ p: SeedProgress, event: String, format: TileFormat = .png) -> String {
        var object: JSONValue = [
            "event": JSONValue(event), "format": JSONValue(format.rawValue), "total": JSONValue(p.totalTiles),
            "metatiles": JSONValue(p.totalMetatiles), "done": JSONValue(p.doneTiles), "rendered": JSONValue(p.renderedTiles),
            "cached": JSONValue(p.cachedTiles), "blank": JSONValue(p.blankTiles), "failed": JSONValue(p.failedTiles),
            "bytes": JSONValue(p.bytes), "seconds": JSONValue((p.elapsedSeconds * 1000).rounded() / 1000),
            "tiles_per_second": JSONValue(p.tilesPerSecond.rounded()), "stopped_early": JSONValue(p.stoppedEarly),
        ]
        if let eta = p.etaSeconds { object[member: "eta_seconds"] = JSONValue(eta.rounded()) }
        if let full = p.cacheFull {
            object[member: "disk_full"] = ["file": JSONValue(full.path), "free_bytes": full.space.map { JSONValue(Int($0.availableBytes)) } ?? JSONValue.null]
            object[member: "unrecorded_failures"] = JSONValue(p.unrecordedFailures)
        }
        return object.text
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds)
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
