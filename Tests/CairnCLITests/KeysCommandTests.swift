import Foundation
import Testing
import CairnTestSupport

/// `cairn keys …` and an internal map served by the real binary.
@Suite(.interop)
struct KeysCommandTests {
    typealias CLI = CommandLineTests

    func curl(_ arguments: [String]) throws -> (status: Int, body: String) {
        let output = CLI.temporary("body")
        let run = try runProgram("/usr/bin/curl", ["-s", "-o", output, "-w", "%{http_code}", "--max-time", "20"] + arguments)
        return (Int(run.output) ?? 0, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    @Test func createListRevokeAgainstALiveServer() async throws {
        let folder = (CLI.temporary("x") as NSString).deletingLastPathComponent
        let keys = folder + "/keys.yaml"
        let created = try CLI.cairn(["keys", "create", "--keys-file", keys, "--maps", "secret", "--expires", "90d", "--origins", "https://portal.example"])
        #expect(created.status == 0, "\(created.output)")
        let key = try #require(created.output.split(separator: "\n").first { $0.hasPrefix("cairn_k") }.map(String.init))
        let id = String(key.dropFirst(6).prefix(9))
        let stored = try String(contentsOfFile: keys, encoding: .utf8)
        #expect(!stored.contains(key))
        let listed = try CLI.cairn(["keys", "list", "--keys-file", keys])
        #expect(listed.output.contains(id))
        #expect(listed.output.contains("active"))
        #expect(!listed.output.contains(key))
        #expect(try CLI.cairn(["keys", "create", "--keys-file", keys, "--maps", "Bad Name"]).status != 0)
        #expect(try CLI.cairn(["keys", "create", "--keys-file", keys, "--maps", "secret", "--expires", "soon"]).status != 0)

        try "embed-secret-for-the-cli-test-0123456789\n".write(toFile: folder + "/signing.secret", atomically: true, encoding: .utf8)
        let port = Int.random(in: 20000...40000)
        try "portal-secret-for-the-cli-test-0123456789\n".write(toFile: folder + "/portal.secret", atomically: true, encoding: .utf8)
        let preamble = "auth:\n  keys_file: keys.yaml\n  audit_log: audit.jsonl\n  signing: {secret_file: signing.secret}\n"
            + "  jwt:\n    audience: cairn-tiles\n    keys:\n      - {kid: portal, alg: HS256, secret_file: portal.secret}\n"
        let maps = "  - name: mini\n    style: \(CLI.miniStyle)\n    metatile: 2\n  - name: secret\n    style: \(CLI.miniStyle)\n    metatile: 2\n    access: internal\n"
        let server = try await startServer(folder: folder, port: port, mapLines: maps, preamble: preamble)
        defer { server.terminate() }
        let base = "http://127.0.0.1:\(port)"
        let tile = "/13/6523/3610.png"

        #expect(try curl([base + "/maps/secret" + tile, "-H", "X-API-Key: " + key]).status == 200)
        #expect(try curl([base + "/maps/secret" + tile + "?key=" + key]).status == 200)
        let forbidden = try curl([base + "/maps/secret/tiles.json"])
        let unknown = try curl([base + "/maps/nosuch/tiles.json"])
        #expect(forbidden.status == 404)
        #expect(forbidden.status == unknown.status && forbidden.body == unknown.body)
        #expect(!(try curl([base + "/maps"]).body.contains("secret")))
        #expect(try curl([base + "/maps", "-H", "Authorization: Bearer " + key]).body.contains("secret"))

        let signed = try CLI.cairn(["keys", "sign-embed", "--config", folder + "/cairn.yaml", "--map", "secret", "--expires", "10m"])
        let url = try #require(signed.output.split(separator: "\n").first { $0.hasPrefix("/embed/secret?") }.map(String.init), "\(signed.output)")
        #expect(try curl([base + url]).status == 200)
        #expect(try curl([base + url + "&zoom=1"]).status == 404)

        let issued = try CLI.cairn(["keys", "sign-token", "--config", folder + "/cairn.yaml", "--kid", "portal", "--maps", "secret", "--subject", "bob"])
        let token = try #require(issued.output.split(separator: "\n").first { $0.hasPrefix("eyJ") }.map(String.init), "\(issued.output)")
        #expect(try curl([base + "/maps/secret" + tile, "-H", "Authorization: Bearer " + token]).status == 200)
        #expect(try curl([base + "/maps/secret" + tile + "?token=" + token + "x"]).status == 401)
        #expect(try CLI.cairn(["keys", "sign-token", "--config", folder + "/cairn.yaml", "--kid", "portal", "--maps", "secret", "--expires", "2d"]).status != 0)

        let revoked = try CLI.cairn(["keys", "revoke", "--keys-file", keys, id])
        #expect(revoked.status == 0)
        #expect(try CLI.cairn(["keys", "list", "--keys-file", keys]).output.contains("revoked"))
        // The server looks at the keys file at most once a second.
        let refused = try await Wait.until(timeout: .seconds(10), interval: .milliseconds(100)) {
            try curl([base + "/maps/secret" + tile, "-H", "X-API-Key: " + key]).status == 401
        }
        #expect(refused, "the revoked key was still accepted after 10 s")

        let audit = try String(contentsOfFile: folder + "/audit.jsonl", encoding: .utf8)
        #expect(audit.contains("\"principal\":\"key:\(id)\""))
        #expect(!audit.contains(key))
        #expect(audit.contains("\"principal\":\"jwt:bob\""))
        #expect(!audit.contains(token))
        #expect(!audit.contains(String(key.suffix(43))))
        let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
        #expect(!log.contains(String(key.suffix(43))))
    }

    @Test func serveRefusesAMissingSigningSecret() async throws {
        let folder = (CLI.temporary("x") as NSString).deletingLastPathComponent
        let config = folder + "/cairn.yaml"
        try "auth:\n  signing: {secret_env: CAIRN_TEST_UNSET_SECRET}\nmaps:\n  - name: mini\n    style: \(CLI.miniStyle)\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let run = try CLI.cairn(["serve", "--config", config, "--port", String(Int.random(in: 20000...40000))])
        #expect(run.status != 0)
        #expect(run.output.contains("CAIRN_TEST_UNSET_SECRET is not set"), "\(run.output)")
    }
}
