import CairnAccess
import CairnEngine
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import CairnServer

/// Issue 11, item 6: `/health` tells the operator that a keys or configuration file failed to
/// load (and which), while the keys and configuration read before stay in force.
struct OperatorHealthTests {
    @Test func healthReportsABrokenKeysFileUntilItIsFixed() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-keys-\(UUID().uuidString).yaml").path
        _ = try KeyFile.create(at: path, maps: ["mini"])
        let good = try String(contentsOfFile: path, encoding: .utf8)
        let keys = try KeyStore(path: path)
        let engine = ServerFixtures.engine()
        let access = AccessControl(configuration: engine.configuration, verifier: CredentialVerifier(keys: keys))
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .error
        let app = buildApplication(engine: engine, host: "127.0.0.1", port: 0, logger: logger, access: access)
        try await app.test(.router) { client in
            func health() async throws -> [String: Any] {
                try await client.execute(uri: "/health", method: .get) { response in
                    try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                }
            }
            var document = try await health()
            #expect(document["status"] as? String == "ok")
            #expect((document["keys"] as? [String: Any])?["status"] as? String == "ok")

            try "keys:\n  - id: [broken\n".write(toFile: path, atomically: true, encoding: .utf8)
            keys.reloadNow()
            document = try await health()
            #expect(document["status"] as? String == "degraded")
            let entry = try #require(document["keys"] as? [String: Any])
            #expect(entry["status"] as? String == "error")
            #expect(entry["file"] as? String == URL(fileURLWithPath: path).lastPathComponent)
            #expect((entry["error"] as? String)?.contains("server log") == true)

            access.configurationRejected(file: "/etc/cairn/cairn.yaml", error: "cairn.yaml:3: maps[0].style: expected a path")
            document = try await health()
            let configuration = try #require(document["configuration"] as? [String: Any])
            #expect(configuration["status"] as? String == "error")
            #expect(configuration["file"] as? String == "cairn.yaml")

            try good.write(toFile: path, atomically: true, encoding: .utf8)
            keys.reloadNow()
            access.updateMaps(from: engine.configuration)
            document = try await health()
            #expect(document["status"] as? String == "ok")
            #expect(document["configuration"] == nil)
        }
        try await engine.shutdown()
    }
}
