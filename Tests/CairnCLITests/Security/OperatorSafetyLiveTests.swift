import Foundation
import Testing
import CairnTestSupport

/// Issue 11, item 6 against a live `cairn serve`: SIGHUP reloads instead of ending the server,
/// a keys file broken by hand keeps the old keys in force and says so (log and `/health`), and
/// wrong admin tokens are logged in summary, not one line each.
@Suite(.interop)
struct OperatorSafetyLiveTests {
    static let mapLines = "  - name: mini\n    style: \(CommandLineTests.miniStyle)\n    access: internal\n"

    static func createKey(_ folder: String) throws -> String {
        let run = try runProgram(CommandLineTests.binary, ["keys", "create", "--keys-file", folder + "/keys.yaml", "--maps", "mini"])
        guard run.status == 0 else { throw InteropError("cairn keys create failed: \(run.output)") }
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func health(_ server: SecurityServer) throws -> [String: Any] {
        let reply = try server.request("/health")
        return (try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]) ?? [:]
    }

    @Test func sighupReloadsAndABrokenKeysFileKeepsTheOldKeys() async throws {
        var key = ""
        let server = try await SecurityServer.start("t-op-sighup", mapLines: Self.mapLines, preamble: "auth:\n  keys_file: keys.yaml\n") { folder in
            key = try Self.createKey(folder)
        }
        defer { server.stop() }
        let keysFile = server.folder + "/keys.yaml"
        let tile = "/maps/mini/13/6523/3610.png"
        #expect(try server.request(tile, headers: ["X-API-Key: \(key)"]).status == 200)

        // SIGHUP: still running, and the log says what was reloaded.
        let second = try Self.createKey(server.folder)
        kill(server.process.processIdentifier, SIGHUP)
        let reloaded = await Wait.until(timeout: .seconds(20)) { server.log.contains("SIGHUP reload done") }
        #expect(reloaded, "\(server.log.suffix(2000))")
        #expect(server.process.isRunning, "SIGHUP ended the server")
        #expect(server.log.contains("keys file \(keysFile): 2 key(s)"), "\(server.log.suffix(2000))")
        #expect(try server.request(tile, headers: ["X-API-Key: \(second)"]).status == 200)

        // A hand-edited revocation with a typo: the file no longer parses.
        let good = try String(contentsOfFile: keysFile, encoding: .utf8)
        try (good + "\n  - id: [typo\n    revoked: 2026-01-01\n").write(toFile: keysFile, atomically: true, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        let logged = await Wait.until(timeout: .seconds(20)) { server.log.contains("keys file \(keysFile) fails to load") }
        #expect(logged, "\(server.log.suffix(2000))")
        #expect(server.log.contains("the keys read before stay in force"))
        #expect(server.process.isRunning)
        #expect(try server.request(tile, headers: ["X-API-Key: \(key)"]).status == 200, "the keys in force were dropped")
        var document = try health(server)
        #expect(document["status"] as? String == "degraded", "\(document)")
        let keys = document["keys"] as? [String: Any] ?? [:]
        #expect(keys["status"] as? String == "error" && keys["file"] as? String == URL(fileURLWithPath: keysFile).lastPathComponent, "\(document)")
        #expect(!(try server.request("/health").text.contains(key)))

        // A configuration that fails to parse on SIGHUP: logged, reported, the running one stays.
        let config = server.folder + "/cairn.yaml"
        let configuration = try String(contentsOfFile: config, encoding: .utf8)
        try (configuration + "  - name: [broken\n").write(toFile: config, atomically: true, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        let configLogged = await Wait.until(timeout: .seconds(20)) { server.log.contains("configuration file \(config) fails to load") }
        #expect(configLogged, "\(server.log.suffix(2000))")
        document = try health(server)
        #expect((document["configuration"] as? [String: Any])?["file"] as? String == "cairn.yaml", "\(document)")

        // Fixed files: healthy again on the next reload.
        try good.write(toFile: keysFile, atomically: true, encoding: .utf8)
        try configuration.write(toFile: config, atomically: true, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        let healthy = await Wait.until(timeout: .seconds(20)) { ((try? health(server))?["status"] as? String) == "ok" }
        #expect(healthy, "\(String(describing: try? health(server)))")
        #expect(server.process.isRunning)
    }

    /// 500 wrong admin tokens on one connection: one log line at once, not 500.
    @Test func wrongAdminTokensAreLoggedInSummary() async throws {
        let server = try await SecurityServer.start("t-op-adminauth", mapLines: "  - name: mini\n    style: \(CommandLineTests.miniStyle)\n", admin: true)
        defer { server.stop() }
        let result = try ConnectionProbe.run(["hammer", String(server.adminPort ?? 0), "500"])
        #expect((result["statuses"] as? [String: Int])?["401"] == 500, "\(result)")
        let lines = server.log.split(separator: "\n").filter { $0.contains("admin") && $0.contains("refused") }
        print("log lines for 500 refused admin requests:", lines.count)
        #expect(lines.count == 1, "\(lines.prefix(5))")
        #expect(lines.first?.contains("127.0.0.1") == true)
        #expect(!server.log.contains("wrong-token"))
        #expect(!server.log.contains(SecurityServer.adminToken))
    }
}
