import CairnEngine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer
import CairnTestSupport

/// A real server on 127.0.0.1, spoken to over sockets.
struct LiveServerTests {
    @Test func servesTilesOverASocket() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.live) { client in
            try await client.execute(uri: "/maps/mini/13/6523/3610@2x.png", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Array(response.body.readableBytesView.prefix(8)) == pngSignature)
            }
            try await client.execute(uri: "/maps/mini/13/6523/3610.png", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        try await engine.shutdown()
    }

    @Test(.interop) func survivesHostileRequestsFromCurl() async throws {
        let engine = ServerFixtures.engine()
        let app = buildApplication(engine: engine, host: "127.0.0.1", port: 0, connections: ServerFixtures.patientConnections()) { port in
            ServerFixtures.port.set(port)
        }
        try await app.test(.live) { client in
            let port = ServerFixtures.port.get()
            let base = "http://127.0.0.1:\(port)"
            let hostile = [
                "/maps/%4/0/0/0.png", "/maps/%ZZ/0/0/0.png", "/maps/%C0%AE/0/0/0.png", "/maps/mini/0/0/%ED%A0%80.png",
                "/maps/" + String(repeating: "a", count: 5000) + "/0/0/0.png",
                "/maps/mini/0/0/0.png?" + String(repeating: "x=1&", count: 2000),
                "/maps/mini/99999999999999999999/0/0.png", "/maps/mini/0/0/0.png.png",
            ]
            for path in hostile {
                let status = try curlStatus(base + path)
                #expect([400, 404, 414, 431].contains(status), "\(path.prefix(60)) gave \(status)")
            }
            let headerFlood = try curlStatus(base + "/maps/mini/0/0/0.png", extra: ["-H", "X-Big: " + String(repeating: "b", count: 60_000)])
            #expect(headerFlood != 0)
            // The Host header is echoed into TileJSON only when it is a plain host[:port].
            let good = try curlBody(base + "/maps/mini/tiles.json", extra: ["-H", "Host: tiles.example:8080"])
            #expect(good.contains("http://tiles.example:8080/maps/mini/{z}/{x}/{y}.png"))
            let evil = try curlBody(base + "/maps/mini/tiles.json", extra: ["-H", "Host: evil\"><script>x"])
            #expect(!evil.contains("<script>"))
            // Still up, and still right.
            #expect(try curlStatus(base + "/maps/mini/13/6523/3610.png") == 200)
            #expect(try curlStatus(base + "/health") == 200)
            _ = client
        }
        try await engine.shutdown()
    }

    func curlBody(_ url: String, extra: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "--max-time", "10"] + extra + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(data: data, encoding: .utf8) ?? ""
    }

    /// The HTTP status curl sees (0 when the connection fails).
    func curlStatus(_ url: String, extra: [String] = []) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--path-as-is", "--max-time", "10"] + extra + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let text = String(data: pipe.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
        return Int(text) ?? 0
    }
}

extension ServerFixtures {
    /// The port the live server picked, handed from `onServerRunning` to the test.
    static let port = PortBox()
}

final class PortBox: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var value = 0
    func set(_ port: Int) { lock.lock(); value = port; lock.unlock() }
    func get() -> Int { lock.lock(); defer { lock.unlock() }; return value }
}
