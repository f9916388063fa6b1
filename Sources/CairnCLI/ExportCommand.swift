import ArgumentParser
import CairnCore
import CairnEngine
import Foundation
import Logging

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a map's tiles into a PMTiles archive for static hosting.",
        discussion: """
        Writes a PMTiles v3 archive (one file; MapLibre reads it with the PMTiles protocol from object \
        storage, a CDN or any web server that answers Range requests, with no tile server). The tiles \
        are exactly the served ones: the map's cache is filled first as `cairn seed` fills it (same \
        --zoom, --bbox and --area, progress on standard error), then every tile is read from it. \
        --format png (the default, --scale 2 for @2x) or pbf (the map's vector tiles). The archive is \
        written to OUT.part and renamed to OUT when complete; an existing OUT is kept unless --force. \
        Maps with access: internal are refused: the archive has no access control, so anyone who can \
        fetch it reads every tile; --include-internal exports one anyway.
        """
    )

    @OptionGroup var selection: MapSelection
    @OptionGroup var area: AreaOptions

    @Option(help: "Zoom levels, e.g. 0-14.")
    var zoom: String

    @Option(help: "png (raster) or pbf (vector tiles).")
    var format: String = "png"

    @Option(help: "1 for 256 px tiles, 2 for @2x (PNG only).")
    var scale: Int = 1

    @Option(name: .shortAndLong, help: "The archive to write, e.g. hai-phong.pmtiles.")
    var output: String

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @Flag(help: "Export a map configured with access: internal (the archive has no access control).")
    var includeInternal = false

    @Option(help: "Concurrent renders (default: the number of cores).")
    var workers: Int?

    @Option(help: "bar (on a terminal), json (one object per line on stdout), or none.")
    var progress: SeedCommand.ProgressStyle?

    func validate() throws {
        guard scale == 1 || scale == 2 else { throw ValidationError("--scale: expected 1 or 2") }
        if let workers, workers < 1 || workers > 256 { throw ValidationError("--workers: expected 1 to 256") }
        let formats = try parseFormats(format)
        guard formats.count == 1 else { throw ValidationError("--format: give png or pbf (one archive holds one kind of tile)") }
        if scale != 1 && formats[0] != .png { throw ValidationError("--scale: vector tiles (pbf) have no scale") }
        guard !output.isEmpty else { throw ValidationError("--output: expected a file name") }
    }

    func run() async throws {
        let zooms = try parseZoomRange(zoom)
        let format = try parseFormats(format)[0]
        let (configuration, name) = try selection.resolve()
        let path = URL(fileURLWithPath: output).standardized.path
        if !force, FileManager.default.fileExists(atPath: path) {
            throw CommandFailure(message: "\(output): the file exists; give --force to replace it")
        }
        var logger = Logger(label: "cairn")
        logger.logLevel = .warning
        let engine = TileEngine(configuration: configuration, logger: logger)
        defer { Task { try? await engine.shutdown() } }

        let request = ExportRequest(zooms: zooms, area: try area.specification(), format: format, scale: scale,
                                    workers: workers, overwrite: force, includeInternal: includeInternal)
        let style = progress ?? (isatty(STDERR_FILENO) == 1 ? .bar : .none)
        let printer = ProgressPrinter(style: style, format: format)
        let result: ExportResult
        do {
            result = try await engine.withDatabases { try await engine.export(map: name, request, to: path) { printer.report($0) } }
        } catch let error as EngineError {
            throw CommandFailure(message: error.operatorText)
        }
        printer.finish(result.seed)
        let archive = result.archive
        let megabytes = Double(archive.fileBytes) / 1_048_576
        let ratio = archive.tileContents > 0 ? Double(archive.addressedTiles) / Double(archive.tileContents) : 1
        let summary = String(format: "exported %ld tiles (z%ld-%ld) to %@: %.2f MB, %ld distinct tiles (%.1f tiles per distinct one), %ld directory entries, %ld leaf directories, %.1f s",
                             archive.addressedTiles, archive.minZoom, archive.maxZoom, output, megabytes, archive.tileContents, ratio,
                             archive.tileEntries, archive.leafDirectories, result.elapsedSeconds)
        if style == .json {
            let object: JSONValue = [
                "event": "exported", "file": JSONValue(path), "bytes": JSONValue(archive.fileBytes), "tiles": JSONValue(archive.addressedTiles),
                "distinct_tiles": JSONValue(archive.tileContents), "entries": JSONValue(archive.tileEntries),
                "tile_data_bytes": JSONValue(archive.tileDataBytes), "undeduplicated_bytes": JSONValue(archive.undeduplicatedBytes),
                "leaf_directories": JSONValue(archive.leafDirectories), "min_zoom": JSONValue(archive.minZoom), "max_zoom": JSONValue(archive.maxZoom),
                "remade": JSONValue(result.remadeTiles), "seconds": JSONValue((result.elapsedSeconds * 1000).rounded() / 1000),
            ]
            ProgressPrinter.writeLine(object.text)
        } else {
            print(summary)
        }
    }
}
