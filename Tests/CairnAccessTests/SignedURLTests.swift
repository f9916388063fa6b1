@testable import CairnAccess
import CairnCore
import Foundation
import Testing

/// Signed embed URLs: one canonical form, every tampering refused.
struct SignedURLTests {
    let signer = URLSigner(secret: Array("embed-secret-for-tests-only-0123456789".utf8))
    let expires = Date().addingTimeInterval(600)

    func query(_ url: String) -> String { String(url.split(separator: "?", maxSplits: 1)[1]) }

    func refused(_ map: String, _ rawQuery: String) -> Bool {
        (try? signer.verifyEmbed(map: map, rawQuery: rawQuery)) == nil
    }

    @Test func signedURLVerifies() throws {
        let url = signer.signEmbed(map: "land", expires: expires, bbox: BoundingBox(minX: 106.6, minY: 20.8, maxX: 106.8, maxY: 20.9),
                                   minZoom: 10, maxZoom: 16, origins: ["https://portal.example"], center: (106.7, 20.85), zoom: 12)
        #expect(url.hasPrefix("/embed/land?"))
        let grant = try signer.verifyEmbed(map: "land", rawQuery: query(url))
        #expect(grant.map == "land")
        #expect(grant.minZoom == 10 && grant.maxZoom == 16 && grant.zoom == 12)
        #expect(grant.origins == ["https://portal.example"])
        #expect(grant.bbox?.minX == 106.6)
        #expect(abs(grant.expiresAt.timeIntervalSince(expires)) < 2)
    }

    @Test func tamperingIsRefused() throws {
        let url = signer.signEmbed(map: "land", expires: expires, minZoom: 10, maxZoom: 16)
        let q = query(url)
        let sig = String(q.suffix(64))
        let body = String(q.dropLast(69))  // without "&sig=<64>"
        #expect(!refused("land", q))
        #expect(refused("planning", q))                               // other map
        #expect(refused("land", q + "&foo=1"))                        // appended after sig
        #expect(refused("land", body + "&foo=1&sig=" + sig))          // appended inside
        #expect(refused("land", body + "&sig=" + sig + "?stretch=x")) // second ?
        #expect(refused("land", body + "?stretch=x&sig=" + sig))
        #expect(refused("land", body + "&sig=" + sig + "&sig=" + sig)) // duplicated sig
        #expect(refused("land", "sig=" + sig + "&" + body + "&sig=" + sig))
        let reordered = body.split(separator: "&").reversed().joined(separator: "&")
        #expect(refused("land", reordered + "&sig=" + sig))           // reordered
        #expect(refused("land", body.replacingOccurrences(of: "maxzoom=16", with: "maxzoom=18") + "&sig=" + sig))
        #expect(refused("land", body.replacingOccurrences(of: "maxzoom=16", with: "maxzoom=1%36") + "&sig=" + sig)) // other spelling
        #expect(refused("land", body + "&sig=" + sig.uppercased()))
        #expect(refused("land", body + "&sig=" + String(sig.dropLast())))
        #expect(refused("land", body))
        #expect(refused("land", ""))
    }

    @Test func expiredURLIsRefused() {
        let url = signer.signEmbed(map: "land", expires: Date().addingTimeInterval(-1))
        #expect(refused("land", query(url)))
    }

    @Test func otherSecretIsRefused() {
        let other = URLSigner(secret: Array("another-embed-secret-for-tests-0123456".utf8))
        let url = other.signEmbed(map: "land", expires: expires)
        #expect(refused("land", query(url)))
    }

    @Test func canonicalQueryIsSortedAndEncoded() {
        #expect(URLSigner.canonicalQuery([("b", "x y"), ("a", "?&="), ("c", "é")]) == "a=%3F%26%3D&b=x%20y&c=%C3%A9")
    }

    @Test func tileTokensCarryTheEmbedScope() throws {
        let url = signer.signEmbed(map: "land", expires: expires, bbox: BoundingBox(minX: 106.6, minY: 20.8, maxX: 106.8, maxY: 20.9), maxZoom: 16)
        let grant = try signer.verifyEmbed(map: "land", rawQuery: query(url))
        let token = signer.tileToken(for: grant)
        let principal = try signer.verifyTileToken(token)
        #expect(principal.kind == .embed)
        #expect(principal.maps == ["land"])
        #expect(principal.maxZoom == 16)
        #expect(principal.expiresAt! <= grant.expiresAt)
        #expect(principal.allows(webMercatorTile: TileCoordinate(z: 13, x: 6523, y: 3610)))
        #expect(!principal.allows(webMercatorTile: TileCoordinate(z: 13, x: 0, y: 0)))
        #expect(!principal.allows(webMercatorTile: TileCoordinate(z: 17, x: 104370, y: 57766)))
        // Tampered payload or signature, another secret, expired.
        let parts = token.split(separator: ".")
        let forged = Array(Array(URLSigner.canonicalQuery([("map", "planning"), ("exp", "9999999999"), ("id", "x")]).utf8))
        #expect(throws: AccessError.self) { _ = try signer.verifyTileToken("ct1." + Base64URL.encode(forged) + "." + parts[2]) }
        #expect(throws: AccessError.self) { _ = try signer.verifyTileToken(String(token.dropLast(2))) }
        #expect(throws: AccessError.self) { _ = try URLSigner(secret: Array("x-other-secret-0123456789012345678901".utf8)).verifyTileToken(token) }
        #expect(throws: AccessError.self) { _ = try signer.verifyTileToken(token, now: Date().addingTimeInterval(13 * 3600)) }
    }
}
