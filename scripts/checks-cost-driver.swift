// Driver for scripts/checks-cost: decodes and re-encodes every MVT tile of an MBTiles file and
// parses the given styles, ROUNDS times, with a plain synchronous main (valgrind cannot run a
// binary whose main thread is parked by Swift concurrency's async main).
import CairnCore
import CairnStyle
import CairnVectorTile
import Foundation

let arguments = CommandLine.arguments.dropFirst()
let rounds = Int(ProcessInfo.processInfo.environment["ROUNDS"] ?? "") ?? 3
var tiles: [[UInt8]] = []
var styles: [Data] = []
for path in arguments {
    if path.hasSuffix(".json") {
        styles.append(try Data(contentsOf: URL(fileURLWithPath: path)))
    } else {
        // A folder of raw .mvt/.pbf tiles (inflated).
        for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() {
            tiles.append([UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))))
        }
    }
}
var features = 0, bytes = 0, layers = 0
for _ in 0..<rounds {
    for tile in tiles {
        let decoded = try VectorTileDecoder.decode(tile)
        for layer in decoded.layers { features += layer.features.count }
        bytes += VectorTileWriter.encode(decoded).count
    }
    for style in styles {
        layers += try Style.parse(style, path: "style.json").layers.count
    }
}
print("tiles \(tiles.count), styles \(styles.count), rounds \(rounds): \(features) features, \(bytes) bytes re-encoded, \(layers) style layers")
