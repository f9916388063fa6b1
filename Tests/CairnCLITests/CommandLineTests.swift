import Foundation
import Testing
import CairnTestSupport

/// The `cairn` binary driven as a user drives it.
struct CommandLineTests {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repositoryRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let miniStyle = repositoryRoot.appendingPathComponent("Tests/CairnEngineTests/Fixtures/mini/style.json").path

    static var binary: String {
        for configuration in ["debug", "release"] {
            let path = repositoryRoot.appendingPathComponent(".build/\(configuration)/cairn").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/cairn").path
    }

    struct Run { var status: Int32; var output: String }

    /// Runs `cairn` to its end; `environment` is added to the test process's own.
    @discardableResult
    static func cairn(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func temporary(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }

    @Test func validateNamesTheJSONPathOfABadStyle() throws {
        let style = Self.testsFolder.appendingPathComponent("Fixtures/broken-style.json").path
        let run = try Self.cairn(["validate", "--style", style])
        #expect(run.status != 0)
        #expect(run.output.contains("broken-style.json: layers[3].paint.line-width: expected number or expression, got \"wide\""), "\(run.output)")
    }

    @Test func validateAcceptsTheDemoStyle() throws {
        let run = try Self.cairn(["validate", "--style", Self.repositoryRoot.appendingPathComponent("styles/hai-phong.json").path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ok:"))
    }

    @Test func aBadConfigurationNamesTheLine() throws {
        let config = Self.temporary("cairn.yaml")
        try "listen:\n  port: 99999\nmaps:\n  - name: hp\n    style: nope.json\n".write(toFile: config, atomically: true, encoding: .utf8)
        let run = try Self.cairn(["serve", "--config", config])
        #expect(run.status != 0)
        #expect(run.output.contains("cairn.yaml:2: listen.port: expected an integer from 1 to 65535"), "\(run.output)")
        #expect(run.output.contains("cairn.yaml:5: maps[0].style: file not found: nope.json"))
    }

    @Test(arguments: [1, 2])
    func renderWritesAPNG(scale: Int) throws {
        let output = Self.temporary("tile.png")
        let run = try Self.cairn(["render", "--style", Self.miniStyle, "--tile", "13/6523/3610", "--scale", "\(scale)", "-o", output])
        #expect(run.status == 0, "\(run.output)")
        let data = try #require(FileManager.default.contents(atPath: output))
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR width, big-endian at byte 16.
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 256 * scale)
    }

    @Test func renderWritesTheAskedPNGFormat() throws {
        // IHDR colour type, at byte 25: 3 for a palette (png8, the default), 2 for RGB (png32 of an opaque tile).
        for (format, colourType) in [(nil, UInt8(3)), ("png8", 3), ("png32", 2)] {
            let output = Self.temporary("tile-\(format ?? "default").png")
            let run = try Self.cairn(["render", "--style", Self.miniStyle, "--tile", "13/6523/3610", "-o", output]
                                     + (format.map { ["--format", $0] } ?? []))
            #expect(run.status == 0, "\(run.output)")
            let data = try #require(FileManager.default.contents(atPath: output))
            #expect(data[25] == colourType, "--format \(format ?? "(none)")")
        }
        let wrong = try Self.cairn(["render", "--style", Self.miniStyle, "--tile", "13/6523/3610", "--format", "png24", "-o", Self.temporary("x.png")])
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("--format: expected one of png8, png32, got \"png24\""), "\(wrong.output)")
    }

    @Test(.interop) func seedFillsAnMBTilesFileThatGDALReads() throws {
        let mbtiles = Self.temporary("seed.mbtiles")
        let run = try Self.cairn(["seed", "--style", Self.miniStyle, "--zoom", "11-13", "--bbox", "106.62,20.83,106.72,20.89", "--mbtiles", mbtiles])
        #expect(run.status == 0, "\(run.output)")
        // The bbox touches 2x1 tiles at z11, 2x2 at z12 and 3x3 at z13 (the slippy-map formula): 15.
        #expect(run.output.contains("seeded 15 tiles"), "\(run.output)")
        // Whole metatiles are stored, so at least those 15 are in the file.
        let count = try sqlite(mbtiles, "SELECT count(*) FROM tiles WHERE zoom_level BETWEEN 11 AND 13")
        #expect(Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 15)
        let again = try Self.cairn(["seed", "--style", Self.miniStyle, "--zoom", "11-13", "--bbox", "106.62,20.83,106.72,20.89", "--mbtiles", mbtiles])
        #expect(again.output.contains(" 0 rendered"), "a second run renders nothing: \(again.output)")
        let info = try runProgram("/usr/bin/gdalinfo", [mbtiles]).output
        #expect(info.contains("Driver: MBTiles/MBTiles"))
    }

    @Test(.interop) func serveAnswersAndStopsGracefully() async throws {
        let folder = Self.temporary("serve")
        let port = 18_000 + Int.random(in: 0..<2000)
        let server = try await startServer(folder: folder, port: port, mapLines: "  - name: mini\n    style: \(Self.miniStyle)\n")
        defer { if server.isRunning { server.terminate() } }
        let status = curlStatus("http://127.0.0.1:\(port)/maps/mini/13/6523/3610.png", output: folder + "/tile.png")
        #expect(status == 200)
        #expect(FileManager.default.contents(atPath: folder + "/tile.png")?.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(FileManager.default.fileExists(atPath: folder + "/cache/mini.mbtiles"))
        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
    }

    func sqlite(_ path: String, _ sql: String) throws -> String {
        try SeedingTests.sqlite(path, sql)
    }
}
