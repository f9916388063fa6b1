@testable import CairnConfiguration
import CairnEngine
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import CairnServer
import CairnTestSupport

/// A map whose style's `sprite` is a folder of SVG icons: Cairn builds the sprite with librsvg and serves it at
/// the URL its client `style.json` names, checked with curl against a real server on 127.0.0.1.
@Suite(.interop)
struct SpriteLiveServerTests {
    static let pin = ##"<svg xmlns="http://www.w3.org/2000/svg" width="12" height="16"><path d="M6 16L0 6a6 6 0 1 1 12 0z" fill="#c0392b"/></svg>"##
    static let square = ##"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#2e86c1"/></svg>"##

    /// The mini fixture's data with a symbol layer drawing `pin` icons, its sprite the folder `icons`.
    static func makeMap(in folder: String) throws -> String {
        let mini = ServerFixtures.testsFolder.appendingPathComponent("CairnEngineTests/Fixtures/mini").path
        try FileManager.default.createDirectory(atPath: folder + "/icons", withIntermediateDirectories: true)
        try Data(pin.utf8).write(to: URL(fileURLWithPath: folder + "/icons/pin.svg"))
        try Data(square.utf8).write(to: URL(fileURLWithPath: folder + "/icons/square.svg"))
        let style = #"""
        {"version": 8, "sprite": "./icons",
         "sources": {"places": {"type": "geojson", "data": "\#(mini)/places.geojson"}},
         "layers": [{"id": "bg", "type": "background", "paint": {"background-color": "#f8f4f0"}},
                    {"id": "pins", "type": "symbol", "source": "places", "layout": {"icon-image": "pin", "icon-allow-overlap": true}}]}
        """#
        try Data(style.utf8).write(to: URL(fileURLWithPath: folder + "/style.json"))
        return folder + "/style.json"
    }

    @Test func spriteBuiltFromSVGsIsServedWhereTheStyleSays() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-sprite-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let stylePath = try Self.makeMap(in: folder)
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .error
        let engine = TileEngine(configuration: CairnConfiguration(cacheDirectory: folder + "/cache", maps: [
            MapConfiguration(name: "iconic", stylePath: stylePath),
            MapConfiguration(name: "mini", stylePath: ServerFixtures.miniStyle),
        ]), logger: logger, renderThreads: 2)
        let port = PortBox()
        let app = buildApplication(engine: engine, host: "127.0.0.1", port: 0, logger: logger,
                                   connections: ServerFixtures.patientConnections()) { port.set($0) }
        try await app.test(.live) { _ in
            let base = "http://127.0.0.1:\(port.get())"
            let style = try await curl([base + "/maps/iconic/style.json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(style.utf8)) as? [String: Any])
            #expect(object["sprite"] as? String == base + "/maps/iconic/sprite")

            let index = try await curl([base + "/maps/iconic/sprite.json"])
            let images = try #require(try JSONSerialization.jsonObject(with: Data(index.utf8)) as? [String: [String: Any]])
            #expect(Set(images.keys) == ["pin", "square"])
            #expect(images["pin"]?["width"] as? Int == 12 && images["pin"]?["height"] as? Int == 16)
            #expect(images["pin"]?["pixelRatio"] as? Int == 1)
            let index2x = try await curl([base + "/maps/iconic/sprite@2x.json"])
            let images2x = try #require(try JSONSerialization.jsonObject(with: Data(index2x.utf8)) as? [String: [String: Any]])
            #expect(images2x["pin"]?["width"] as? Int == 24 && images2x["pin"]?["pixelRatio"] as? Int == 2)

            for file in ["sprite.png", "sprite@2x.png"] {
                let headers = try await curl(["-D", "-", "-o", folder + "/" + file, base + "/maps/iconic/" + file])
                #expect(headers.lowercased().contains("content-type: image/png"), "\(headers)")
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))
                #expect(Array(bytes.prefix(8)) == pngSignature)
            }
            // A map without a sprite has none to serve, and says so as JSON, not as an image.
            let missing = try await curl(["-D", "-", base + "/maps/mini/sprite.png"])
            #expect(missing.hasPrefix("HTTP/1.1 404"), "\(missing)")
            #expect(!missing.lowercased().contains("content-type: image/png"))
            #expect(try await curl(["-o", "/dev/null", "-w", "%{http_code}", base + "/maps/nowhere/sprite.json"]) == "404")
            // The icons render into raster tiles too.
            let tile = try await curl(["-o", "/dev/null", "-w", "%{http_code} %{content_type}", base + "/maps/iconic/0/0/0.png"])
            #expect(tile == "200 image/png", "\(tile)")
        }
        try await engine.shutdown()
    }

    func curl(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try VectorLiveServerTests.runCurl(arguments) })
            }
        }
    }
}
