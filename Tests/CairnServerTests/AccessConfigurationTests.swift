@testable import CairnConfiguration
import CairnAccess
import CairnEngine
import Foundation
import Testing

/// `auth:`, `access:` and `embed_origins:` in the configuration, with line-numbered errors.
struct AccessConfigurationTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-config-\(UUID().uuidString)").path

    func parse(_ yaml: String) throws -> CairnConfiguration {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try CairnConfiguration.parse(yaml: yaml, path: folder + "/cairn.yaml")
    }

    func problems(_ yaml: String) -> String {
        do { _ = try parse(yaml); return "" } catch { return "\(error)" }
    }

    @Test func readsAuthAndAccess() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder + "/sso.pem", contents: Data("x".utf8))
        let configuration = try parse("""
            auth:
              keys_file: keys.yaml
              audit_log: audit.jsonl
              signing: {secret_env: CAIRN_EMBED_SECRET}
              jwt:
                audience: cairn-tiles
                issuer: https://portal.example
                max_lifetime: 3600
                leeway: 30
                keys:
                  - {kid: portal, alg: HS256, secret_file: portal.secret}
                  - {kid: sso, alg: RS256, public_key_file: sso.pem}
            maps:
              - name: land
                style: \(ServerFixtures.miniStyle)
                access: internal
                embed_origins: [https://portal.example, "http://intranet.local:8080"]
              - name: open
                style: \(ServerFixtures.miniStyle)
            """)
        #expect(configuration.auth.keysFile == folder + "/keys.yaml")
        #expect(configuration.auth.auditLog == folder + "/audit.jsonl")
        #expect(configuration.auth.signingSecret == .environment("CAIRN_EMBED_SECRET"))
        #expect(configuration.auth.jwt?.audience == "cairn-tiles")
        #expect(configuration.auth.jwt?.keys.count == 2)
        #expect(configuration.auth.jwt?.keys[0].material == .secretFile(folder + "/portal.secret"))
        #expect(configuration.auth.jwt?.keys[1].algorithm == .rs256)
        #expect(configuration.maps[0].access == .internal)
        #expect(configuration.maps[0].embedOrigins == ["https://portal.example", "http://intranet.local:8080"])
        #expect(configuration.maps[1].access == .public)
    }

    @Test func mistakesAreReportedWithLineAndKeyPath() {
        let text = problems("""
            auth:
              jwt:
                audience: cairn-tiles
                leeway: 600
                keys:
                  - {kid: a, alg: none, secret_env: X}
                  - {kid: b, alg: HS256, secret: inline-secret}
                  - {kid: c, alg: RS256, secret_env: X}
              signing: hunter2
            maps:
              - name: land
                style: \(ServerFixtures.miniStyle)
                access: secret
                embed_origins: ["https://portal.example/path"]
            """)
        #expect(text.contains("cairn.yaml:4: auth.jwt.leeway: expected seconds from 0 to 60"), "\(text)")
        #expect(text.contains("cairn.yaml:6: auth.jwt.keys[0].alg: expected HS256, RS256 or ES256"), "\(text)")
        #expect(text.contains("auth.jwt.keys[1].secret: unknown key"), "\(text)")
        #expect(text.contains("auth.jwt.keys[2]: RS256 needs public_key_file"), "\(text)")
        #expect(text.contains("cairn.yaml:9: auth.signing: expected {secret_env: VARIABLE} or {secret_file: PATH}"), "\(text)")
        #expect(text.contains("cairn.yaml:13: maps[0].access: expected public or internal"), "\(text)")
        #expect(text.contains("maps[0].embed_origins[0]: expected an origin"), "\(text)")
        #expect(!text.contains("inline-secret"))
        #expect(!text.contains("hunter2"))
    }
}
