import CairnCore
import CairnVectorTile
import Foundation
import Testing
import CairnTestSupport

/// Every tile of a real OpenMapTiles MBTiles file (tilemaker, Liechtenstein, the committed
/// `data/liechtenstein_omt.mbtiles`) read with the sqlite3 CLI, decoded, and re-encoded losslessly.
/// Interop tier: it runs the sqlite3 program.
struct OpenMapTilesDecodingTests {
    static let mbtiles = InteropSupport.repositoryRoot.appendingPathComponent("data/liechtenstein_omt.mbtiles").path

    static func tiles() throws -> [(name: String, bytes: [UInt8])] {
        let (status, output) = try InteropSupport.run(
            "/usr/bin/sqlite3", ["-readonly", mbtiles,
                                 "SELECT zoom_level || '/' || tile_column || '/' || tile_row, hex(tile_data) FROM tiles ORDER BY 1"])
        try #require(status == 0, "sqlite3 failed: \(output)")
        return output.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "|")
            guard parts.count == 2 else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(parts[1].utf8.count / 2)
            var high: UInt8?
            for c in parts[1].utf8 {
                let nibble = c <= 57 ? c - 48 : c - 55
                if let h = high { bytes.append(h << 4 | nibble); high = nil } else { high = nibble }
            }
            return (String(parts[0]), bytes)
        }
    }

    @Test(.interop)
    func decodesEveryTile() throws {
        let tiles = try Self.tiles()
        #expect(tiles.count == 183)
        var layerNames = Set<String>()
        var features = 0
        for (name, bytes) in tiles {
            let tile = try VectorTileDecoder.decodeMaybeCompressed(bytes)
            for layer in tile.layers {
                layerNames.insert(layer.name)
                features += layer.features.count
                #expect(layer.version == 2 && layer.extent == 4096, "\(name) \(layer.name)")
                for feature in layer.features {
                    let box = feature.geometry.boundingBox
                    // tilemaker leaves some boundary lines unclipped by up to about 1.6 tiles; a decoding
                    // slip (wrong zigzag, lost cursor) would land far further out.
                    let limit = 5.0 * Double(layer.extent)
                    #expect(box.isEmpty || (box.minX > -limit && box.maxX < limit && box.minY > -limit && box.maxY < limit),
                            "\(name) \(layer.name): \(box)")
                }
            }
            #expect(try VectorTileDecoder.decode(VectorTileWriter.encode(tile)) == tile, "\(name)")
        }
        #expect(layerNames.isSuperset(of: ["transportation", "building", "water", "landuse", "place"]))
        #expect(features > 10_000)
    }
}
