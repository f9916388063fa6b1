import CairnCore
import CairnSQLite
import Foundation
import CairnTestSupport
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

    /// Rows of `sql` read through a separate connection, each row's columns joined by "|".
    static func rows(_ path: String, _ sql: String) throws -> [String] {
        let db = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 5000)
        let statement = try db.prepare(sql)
        var rows: [String] = []
        while try statement.step() {
            rows.append((0..<statement.columnCount).map { statement.string($0) ?? "NULL" }.joined(separator: "|"))
        }
        return rows
    }

    /// Image rows no tile uses, and tile rows whose image is missing.
    static func danglingRows(_ path: String) throws -> (orphanImages: Int, tilesWithoutImage: Int) {
        let orphans = try rows(path, "SELECT count(*) FROM images WHERE tile_id NOT IN (SELECT tile_id FROM map)")
        let missing = try rows(path, "SELECT count(*) FROM map WHERE tile_id NOT IN (SELECT tile_id FROM images)")
        return (Int(orphans[0]) ?? -1, Int(missing[0]) ?? -1)
    }

    /// Starts Fixtures/`script` with /usr/bin/python3 (python3 on PATH when that is missing).
    static func startPython(_ script: String, _ arguments: [String], output: Pipe? = nil) throws -> Process {
        let process = Process()
        let system = "/usr/bin/python3"
        if FileManager.default.isExecutableFile(atPath: system) {
            process.executableURL = URL(fileURLWithPath: system)
            process.arguments = [fixtures.appendingPathComponent(script).path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", fixtures.appendingPathComponent(script).path] + arguments
        }
        process.standardOutput = output ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until `path` exists, at most `seconds`.
    static func waitForFile(_ path: String, seconds: Double = 10) {
        Wait.untilBlocking(timeout: .milliseconds(Int(seconds * 1000))) { FileManager.default.fileExists(atPath: path) }
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
