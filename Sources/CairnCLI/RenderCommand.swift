import CairnConfiguration
import ArgumentParser
import CairnCore
import CairnEngine
import Foundation

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Render one tile to a PNG file.")

    @Option(help: "A MapLibre style JSON file.")
    var style: String

    @Option(help: "The tile as Z/X/Y (XYZ order, as in web map URLs).")
    var tile: String

    @Option(help: "1 for 256 px tiles, 2 for @2x (512 px).")
    var scale: Int = 1

    @Option(help: "Tiles per metatile side; the same as the server uses by default, so labels match.")
    var metatile: Int = 8

    @Option(help: "Tile grid: WebMercatorQuad (default), WorldCRS84Quad or VN2000HaiPhong; Z/X/Y are its level, column and row.")
    var grid: String = TileGrid.webMercator.identifier

    @Option(help: "PNG encoding: png8 (palette, the maps' default) or png32 (truecolour, every colour exact).")
    var format: String = PNGTileFormat.default.rawValue

    @Option(name: .shortAndLong, help: "Output PNG file ('-' for standard output).")
    var output: String

    func validate() throws {
        guard scale == 1 || scale == 2 else { throw ValidationError("--scale: expected 1 or 2") }
        guard (1...16).contains(metatile) else { throw ValidationError("--metatile: expected 1 to 16") }
        guard TileCoordinate(parsing: tile) != nil else { throw ValidationError("--tile: expected Z/X/Y, got \"\(tile)\"") }
        guard PNGTileFormat(rawValue: format) != nil else {
            throw ValidationError("--format: expected one of \(PNGTileFormat.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(format)\"")
        }
        guard TileGrid.builtIn.contains(where: { $0.identifier == grid }) else {
            throw ValidationError("--grid: expected one of \(TileGrid.builtIn.map(\.identifier).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let coordinate = TileCoordinate(parsing: tile)!
        var map = MapConfiguration(name: "render", stylePath: URL(fileURLWithPath: style).standardized.path)
        map.metatileSize = metatile
        map.pngFormat = PNGTileFormat(rawValue: format)!
        let loaded = try MapLoader.load(map, grid: TileGrid.builtIn.first { $0.identifier == grid }!)
        guard loaded.grid.contains(coordinate) else { throw ValidationError("--tile: \(tile) is outside the tile grid") }
        let metatileBlock = Metatile(containing: coordinate, size: metatile, in: loaded.grid)
        let tiles = try MapRenderer.render(loaded, metatile: metatileBlock, scale: scale)
        guard let png = tiles[coordinate] else { throw CommandFailure(message: "the tile was not rendered") }
        if output == "-" {
            FileHandle.standardOutput.write(Data(png))
        } else {
            guard FileManager.default.createFile(atPath: output, contents: Data(png)) else {
                throw CommandFailure(message: "cannot write \(output)")
            }
        }
    }
}
