import CairnEngine
import CairnVectorTile
import CairnZlib
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer
import CairnTestSupport

/// Vector tiles from a real server on 127.0.0.1, fetched with curl.
@Suite(.interop)
struct VectorLiveServerTests {
    @Test func curlGetsGzipOrPlainTilesAndTheStyle() async throws {
        let engine = ServerFixtures.engine()
        let port = PortBox()
        let app = buildApplication(engine: engine, host: "127.0.0.1", port: 0, connections: ServerFixtures.patientConnections()) { port.set($0) }
        try await app.test(.live) { _ in
            let base = "http://127.0.0.1:\(port.get())"
            let tile = VectorTileRouteTests.tile
            let url = base + "/maps/mini/\(tile.z)/\(tile.x)/\(tile.y).pbf"
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-mvt-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }

            let gzipHeaders = try await curl(["-D", "-", "-o", folder + "/tile.gz", "-H", "Accept-Encoding: gzip", url])
            #expect(gzipHeaders.lowercased().contains("content-encoding: gzip"))
            #expect(gzipHeaders.lowercased().contains("content-type: application/vnd.mapbox-vector-tile"))
            #expect(gzipHeaders.lowercased().contains("vary: accept-encoding"))
            let gzipped = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/tile.gz")))
            #expect(Zlib.isGzip(gzipped))

            let plainHeaders = try await curl(["-D", "-", "-o", folder + "/tile.pbf", url])
            #expect(!plainHeaders.lowercased().contains("content-encoding"))
            #expect(plainHeaders.contains("X-Cairn-Cache: HIT") || plainHeaders.lowercased().contains("x-cairn-cache: hit"))
            let plain = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/tile.pbf")))
            let inflated = try Zlib.decompress(gzipped)
            #expect(plain == inflated)
            let decoded = try VectorTileDecoder.decode(plain)
            #expect(decoded.layer(named: "places")?.features.isEmpty == false)

            // curl --compressed asks for gzip and inflates: the same bytes.
            _ = try await curl(["--compressed", "-o", folder + "/tile.inflated", url])
            #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/tile.inflated"))) == plain)

            let style = try await curl([base + "/maps/mini/style.json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(style.utf8)) as? [String: Any])
            let source = (object["sources"] as? [String: [String: Any]])?["cairn"]
            #expect(source?["url"] as? String == base + "/maps/mini/vector.json")
            let status = try await curl(["-o", "/dev/null", "-w", "%{http_code}", base + "/maps/mini/1/0/0@2x.pbf"])
            #expect(status == "400")
        }
        try await engine.shutdown()
    }

    /// Runs curl on a Dispatch thread: a blocking wait on the (two-thread) cooperative pool would
    /// starve the in-process server, and any other live test, of the threads their handlers need.
    func curl(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.runCurl(arguments) })
            }
        }
    }

    static func runCurl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "--max-time", "20"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
