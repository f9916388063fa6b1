import CairnCore
import Foundation
@testable import CairnCache

/// Temporary folders, the fixture tiles and subprocesses for the MBTiles tests.
enum MBTilesTestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The four z10 fixture tiles over Hai Phong (see Fixtures/make_tiles.py), by XYZ address.
    static let fixtureTiles: [(TileCoordinate, [UInt8])] = [(815, 451), (816, 451), (815, 452), (816, 452)].map { x, y in
        let url = fixtures.appendingPathComponent("tile_10_\(x)_\(y).png")
        return (TileCoordinate(z: 10, x: x, y: y), [UInt8]((try? Data(contentsOf: url)) ?? Data()))
    }

    /// The extent of the fixture tiles in degrees.
    static let metadata = MBTilesMetadata(
        name: "Hai Phong test", format: "png",
        bounds: BoundingBox(minX: 106.5234375, minY: 20.30341752, maxX: 107.2265625, maxY: 20.96143961),
        center: .init(longitude: 106.875, latitude: 20.63, zoom: 10),
        minZoom: 10, maxZoom: 10, attribution: "Test data", description: "Cairn cache test",
        extra: ["generator": "CairnCacheTests"])

    static func temporaryFile(_ name: String = "cache.mbtiles") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-mbtiles-\(UUID().uuidString)")
        return folder.appendingPathComponent("nested").appendingPathComponent(name).path
    }

    /// Runs a command found on PATH; returns its exit status and standard output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
