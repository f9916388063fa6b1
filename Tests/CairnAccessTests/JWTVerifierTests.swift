@testable import CairnAccess
import Crypto
import Foundation
import JWTKit
import Testing

/// The token matrix: each algorithm valid, then every forgery and claim mistake refused.
struct JWTVerifierTests {
    static func verifier(leeway: Int = 0, maxLifetime: Int = 3600) async throws -> JWTVerifier {
        let settings = JWTSettings(audience: "cairn-tiles", keys: [
            .init(kid: "portal", algorithm: .hs256, material: .secretEnvironment("PORTAL_SECRET")),
            .init(kid: "sso-rsa", algorithm: .rs256, material: .publicKeyFile(TestKeys.rsa.publicPath)),
            .init(kid: "sso-ec", algorithm: .es256, material: .publicKeyFile(TestKeys.ec.publicPath)),
        ], maxLifetime: maxLifetime, leeway: leeway)
        return try await JWTVerifier(settings: settings, environment: ["PORTAL_SECRET": TestKeys.hmacSecret])
    }

    func refused(_ token: String, _ verifier: JWTVerifier) async -> Bool {
        do { _ = try await verifier.verify(token); return false } catch { return error.code == .invalidCredential }
    }

    @Test func validTokensOfEachAlgorithm() async throws {
        let verifier = try await Self.verifier()
        var claims = PortalClaims()
        claims.origins = ["https://portal.example"]
        claims.bbox = [106.6, 20.8, 106.8, 20.9]
        for token in [try await Sign.hs256(claims), try await Sign.rs256(claims), try await Sign.es256(claims)] {
            let principal = try await verifier.verify(token)
            #expect(principal.kind == .token)
            #expect(principal.id == "alice")
            #expect(principal.allows(map: "land"))
            #expect(principal.origins == ["https://portal.example"])
            #expect(principal.bbox != nil)
            #expect((principal.remainingSeconds() ?? 0) > 500)
        }
    }

    @Test func algNoneIsRefused() async throws {
        let verifier = try await Self.verifier()
        let unsigned = try Sign.raw(header: #"{"alg":"none","kid":"portal","typ":"JWT"}"#, payload: PortalClaims(), signature: [])
        #expect(await refused(unsigned, verifier))
        #expect(await refused(unsigned + "AAAA", verifier))
        let noneNoKid = try Sign.raw(header: #"{"alg":"none"}"#, payload: PortalClaims(), signature: [1, 2, 3])
        #expect(await refused(noneNoKid, verifier))
    }

    @Test func hs256SignedWithTheRSAPublicKeyIsRefused() async throws {
        let verifier = try await Self.verifier()
        let publicPEM = try String(contentsOfFile: TestKeys.rsa.publicPath, encoding: .utf8)
        // The classic confusion attack: HMAC keyed with the public key text, under the RSA key's kid.
        let token = try await Sign.hs256(PortalClaims(), kid: "sso-rsa", secret: publicPEM)
        #expect(await refused(token, verifier))
        // Claiming RS256 in the header but carrying an HMAC signature fails as well.
        let header = #"{"alg":"RS256","kid":"sso-rsa","typ":"JWT"}"#
        let body = try JSONEncoder().encode(PortalClaims())
        let input = Sign.base64URL(Array(header.utf8)) + "." + Sign.base64URL(body)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: Array(publicPEM.utf8)))
        #expect(await refused(input + "." + Sign.base64URL(Array(mac)), verifier))
    }

    @Test func wrongSecretUnknownKidAndWrongAlgorithmForKid() async throws {
        let verifier = try await Self.verifier()
        #expect(await refused(try await Sign.hs256(PortalClaims(), secret: "another-secret-of-enough-length-000000"), verifier))
        #expect(await refused(try await Sign.hs256(PortalClaims(), kid: "nobody"), verifier))
        #expect(await refused(try await Sign.es256(PortalClaims(), kid: "sso-rsa"), verifier))
        #expect(await refused(try await Sign.rs256(PortalClaims(), kid: "portal"), verifier))
    }

    @Test func claimMistakesAreRefused() async throws {
        let verifier = try await Self.verifier()
        let now = Date()
        var wrongAudience = PortalClaims(); wrongAudience.aud = "someone-else"
        var noAudience = PortalClaims(); noAudience.aud = nil
        var expired = PortalClaims(); expired.exp = now.timeIntervalSince1970 - 1
        var noExpiry = PortalClaims(); noExpiry.exp = nil
        var notYet = PortalClaims(); notYet.nbf = now.timeIntervalSince1970 + 120
        var tenYears = PortalClaims(now: now, lifetime: 10 * 365 * 86400)
        tenYears.iat = now.timeIntervalSince1970
        var tenYearsNoIat = tenYears; tenYearsNoIat.iat = nil
        var futureIat = PortalClaims(); futureIat.iat = now.timeIntervalSince1970 + 300
        var noMaps = PortalClaims(); noMaps.maps = nil
        var badBox = PortalClaims(); badBox.bbox = [1, 2, 3]
        for claims in [wrongAudience, noAudience, expired, noExpiry, notYet, tenYears, tenYearsNoIat, futureIat, noMaps, badBox] {
            #expect(await refused(try await Sign.hs256(claims), verifier))
        }
    }

    @Test func leewayIsSmallAndBounded() async throws {
        let lenient = try await Self.verifier(leeway: 30)
        var justExpired = PortalClaims(); justExpired.exp = Date().timeIntervalSince1970 - 5
        _ = try await lenient.verify(try await Sign.hs256(justExpired))
        var longExpired = PortalClaims(); longExpired.exp = Date().timeIntervalSince1970 - 45
        #expect(await refused(try await Sign.hs256(longExpired), lenient))
        // A configured leeway above 60 s is clamped to 60 s.
        let settings = JWTSettings(audience: "cairn-tiles", keys: [.init(kid: "portal", algorithm: .hs256, material: .secretEnvironment("S"))], leeway: 3600)
        let clamped = try await JWTVerifier(settings: settings, environment: ["S": TestKeys.hmacSecret])
        var hourOld = PortalClaims(); hourOld.exp = Date().timeIntervalSince1970 - 120
        #expect(await refused(try await Sign.hs256(hourOld), clamped))
    }

    @Test func tokenForMapAIsNotForMapB() async throws {
        let principal = try await Self.verifier().verify(try await Sign.hs256(PortalClaims()))
        #expect(principal.allows(map: "land"))
        #expect(!principal.allows(map: "planning"))
    }

    @Test func garbageIsRefused() async throws {
        let verifier = try await Self.verifier()
        let garbage = String(repeating: "A", count: 8192)
        for token in ["", ".", "..", "a.b.c", garbage, garbage + "." + garbage + "." + garbage, "eyJhbGciOiJIUzI1NiJ9.%%%.abc",
                      Sign.base64URL(Array("not json".utf8)) + ".e30.AAAA", "cairn_kdeadbee_x"] {
            #expect(await refused(token, verifier))
        }
    }

    @Test func missingSecretIsAConfigurationError() async throws {
        let settings = JWTSettings(audience: "a", keys: [.init(kid: "k", algorithm: .hs256, material: .secretEnvironment("NOPE"))])
        await #expect(throws: AccessError.self) { _ = try await JWTVerifier(settings: settings, environment: [:]) }
        let short = JWTSettings(audience: "a", keys: [.init(kid: "k", algorithm: .hs256, material: .secretEnvironment("SHORT"))])
        await #expect(throws: AccessError.self) { _ = try await JWTVerifier(settings: short, environment: ["SHORT": "tooshort"]) }
    }
}
