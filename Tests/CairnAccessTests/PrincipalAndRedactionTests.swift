@testable import CairnAccess
import CairnCore
import Foundation
import Testing

struct PrincipalScopeTests {
    @Test func bboxAndZoomLimitTiles() {
        let principal = Principal(kind: .token, id: "t", maps: ["land"], bbox: BoundingBox(minX: 106.6, minY: 20.8, maxX: 106.8, maxY: 20.9),
                                  minZoom: 10, maxZoom: 16)
        #expect(principal.allows(webMercatorTile: TileCoordinate(z: 13, x: 6523, y: 3610)))
        #expect(!principal.allows(webMercatorTile: TileCoordinate(z: 13, x: 6600, y: 3610)))
        #expect(!principal.allows(webMercatorTile: TileCoordinate(z: 9, x: 407, y: 225)))
        #expect(!principal.allows(webMercatorTile: TileCoordinate(z: 17, x: 104370, y: 57766)))
        #expect(principal.isScoped)
    }

    @Test func presentedCredentialOrder() {
        #expect(PresentedCredential.find(authorization: "Bearer cairn_kabc", apiKeyHeader: nil, keyParameter: nil, tokenParameter: nil) == .apiKey("cairn_kabc"))
        #expect(PresentedCredential.find(authorization: "bearer eyJ.a.b", apiKeyHeader: "x", keyParameter: nil, tokenParameter: nil) == .token("eyJ.a.b"))
        #expect(PresentedCredential.find(authorization: "Basic abc", apiKeyHeader: nil, keyParameter: nil, tokenParameter: nil) == .token(""))
        #expect(PresentedCredential.find(authorization: nil, apiKeyHeader: "k", keyParameter: "q", tokenParameter: nil) == .apiKey("k"))
        #expect(PresentedCredential.find(authorization: nil, apiKeyHeader: nil, keyParameter: nil, tokenParameter: "t") == .token("t"))
        #expect(PresentedCredential.find(authorization: nil, apiKeyHeader: nil, keyParameter: nil, tokenParameter: nil) == nil)
    }
}

struct SecretRedactionTests {
    @Test func secretsAreRedacted() {
        #expect(SecretRedaction.redact(url: "/maps/x/1/2/3.png?token=SECRET123&v=2") == "/maps/x/1/2/3.png?token=REDACTED&v=2")
        #expect(SecretRedaction.redact(url: "/a?KEY=abc") == "/a?KEY=REDACTED")
        #expect(SecretRedaction.redact(url: "/embed/x?exp=1&sig=ff?token=SECRET") == "/embed/x?exp=1&sig=REDACTED&token=REDACTED")
        #expect(!SecretRedaction.redact(url: "/a?b=1&key=SECRET&key=SECRET2").contains("SECRET"))
        #expect(SecretRedaction.redact(url: "/plain") == "/plain")
    }
}

struct AuditLogTests {
    @Test func writesJSONLinesWithoutSecrets() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl").path
        let log = try AuditLog(path: path)
        log.write(.init(time: Date(), principal: "key:k1234abcd", map: "land", tile: "1/2/3", path: "/maps/land/1/2/3.png?key=cairn_SECRET", status: 200, ms: 1.234))
        log.write(.init(time: Date(), principal: "anonymous", map: "land", tile: nil, path: "/maps/land/tiles.json", status: 404, ms: 0.1))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(!lines[0].contains("SECRET"))
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(object?["principal"] as? String == "key:k1234abcd")
        #expect(object?["status"] as? Int == 200)
        #expect(object?["tile"] as? String == "1/2/3")
    }
}
