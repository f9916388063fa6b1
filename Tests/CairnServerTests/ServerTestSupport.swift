@testable import CairnConfiguration
import CairnEngine
import CairnServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

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
        return buildApplication(engine: engine, host: "127.0.0.1", port: 0, logger: logger, connections: patientConnections())
    }

    /// For live (socket) tests: HummingbirdTesting's client connects before the test body runs,
    /// and on a loaded machine the body can start more than the 10 s head timeout later; the
    /// server would close that silent connection (as it should for a real client) and the test
    /// would fail with "I/O on closed channel". Beyond the 60 s idle timeout, so these tests wait
    /// as they did before the head timeout existed; `Tests/CairnCLITests/Security/ConnectionLimitTests`
    /// tests the timeouts themselves.
    static func patientConnections() -> ConnectionPolicy {
        ConnectionPolicy(maxConnections: 1_000, headTimeout: .seconds(600))
    }
}

/// The PNG signature every image response must start with.
let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
