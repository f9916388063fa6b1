import ArgumentParser
import CairnCore
import CairnEngine
import Foundation
import Logging

struct ExpireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expire",
        abstract: "Mark (or delete) cached tiles whose data changed.",
        discussion: """
        Tiles can be given as an area (--bbox, --area) or as z/x/y lines (--tiles FILE, or - for standard input, \
        the format osm2pgsql and mod_tile write). Each is applied at every zoom of --zoom, in every scale and \
        to the map's vector tiles (NAME.pbf.mbtiles, when it exists; vector tiles have no scale, so --scale \
        does not narrow them). Marked tiles are re-rendered on their next request and by \
        `cairn seed --stale-only` (with --format pbf for vector tiles).
        """
    )

    @OptionGroup var selection: MapSelection
    @OptionGroup var area: AreaOptions

    @Option(help: "Zoom levels to expire, e.g. 10-18.")
    var zoom: String

    @Option(help: "A file of z/x/y lines, or - for standard input.")
    var tiles: String?

    @Flag(help: "Delete the tiles instead of marking them stale.")
    var delete = false

    @Option(help: "Only this scale (1 or 2) of the PNG tiles; default: every scale of the map.")
    var scale: Int?

    @Option(help: "png, pbf (vector tiles) or png,pbf (the default).")
    var format: String = "png,pbf"

    func validate() throws {
        if tiles == nil && area.bbox == nil && area.area == nil {
            throw ValidationError("give the tiles to expire: --bbox, --area or --tiles")
        }
        _ = try formats()
    }

    func formats() throws -> [TileFormat] { try parseFormats(format) }

    func run() async throws {
        let zooms = try parseZoomRange(zoom)
        var list: [TileCoordinate] = []
        if let tiles {
            let text: String
            if tiles == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: tiles) else { throw ValidationError("--tiles: cannot read \(tiles)") }
                text = String(decoding: data, as: UTF8.self)
            }
            do {
                list = try parseTileList(text, source: tiles == "-" ? "stdin" : tiles)
            } catch let error as EngineError {
                throw CommandFailure(message: error.message)
            }
        }
        let (configuration, name) = try selection.resolve()
        var logger = Logger(label: "cairn")
        logger.logLevel = .warning
        let engine = TileEngine(configuration: configuration, logger: logger)
        let result = try await engine.expire(map: name, ExpireRequest(zooms: zooms, area: try area.specification(), tiles: list,
                                                                      delete: delete, scales: scale.map { [$0] },
                                                                      formats: try formats()))
        try await engine.shutdown()
        print("\(result.deleted ? "deleted" : "marked stale") \(result.tiles) cached tiles")
    }
}
