@testable import CairnConfiguration
import CairnEngine
import CairnServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

enum ServerFixtures {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let miniStyle = testsFolder.appendingPathComponent("CairnEngineTests/Fixtures/mini/style.json").path

    static func engine() -> TileEngine {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-server-\(UUID().uuidString)").path
        let configuration = CairnConfiguration(
            cacheDirectory: cache,
            maps: [MapConfiguration(name: "mini", stylePath: miniStyle, title: "Mini <Hải Phòng>", maxAgeSeconds: 600)]
        )
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .error
        return TileEngine(configuration: configuration, logger: logger, renderThreads: 2)
    }

    static func application(_ engine: TileEngine) -> some ApplicationProtocol {
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .error
        return buildApplication(engine: engine, host: "127.0.0.1", port: 0, logger: logger)
    }
}

/// The PNG signature every image response must start with.
let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
