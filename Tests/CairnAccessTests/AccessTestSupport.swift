import Foundation
import JWTKit
import Crypto
import _CryptoExtras

/// Test key material generated per run in process with swift-crypto (no private keys are committed,
/// and no openssl program is needed).
enum TestKeys {
    static let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-access-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// (private PEM, public PEM path)
    static let rsa: (privatePEM: String, publicPath: String) = {
        let pub = folder + "/rsa.pub.pem"
        let key = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
        try? key.publicKey.pemRepresentation.write(toFile: pub, atomically: true, encoding: .utf8)
        return (key.pemRepresentation, pub)
    }()

    static let ec: (privatePEM: String, publicPath: String) = {
        let pub = folder + "/ec.pub.pem"
        let key = P256.Signing.PrivateKey()
        try? key.publicKey.pemRepresentation.write(toFile: pub, atomically: true, encoding: .utf8)
        return (key.pemRepresentation, pub)
    }()

    static let hmacSecret = "0123456789abcdef0123456789abcdef-test-only"
}

/// Claims as a portal backend would put them in a token.
struct PortalClaims: JWTPayload {
    var sub: String? = "alice"
    var aud: String? = "cairn-tiles"
    var iss: String?
    var exp: Double?
    var nbf: Double?
    var iat: Double?
    var maps: [String]? = ["land"]
    var origins: [String]?
    var bbox: [Double]?
    var maxzoom: Int?

    init(now: Date = Date(), lifetime: Double = 600) {
        exp = now.timeIntervalSince1970 + lifetime
        iat = now.timeIntervalSince1970
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

enum Sign {
    static func hs256(_ claims: PortalClaims, kid: String = "portal", secret: String = TestKeys.hmacSecret) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    static func rs256(_ claims: PortalClaims, kid: String = "sso-rsa") async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: TestKeys.rsa.privatePEM), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    static func es256(_ claims: PortalClaims, kid: String = "sso-ec") async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: try ES256PrivateKey(pem: TestKeys.ec.privatePEM), kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A hand-made token with any header and signature bytes.
    static func raw(header: String, payload: PortalClaims, signature: [UInt8]) throws -> String {
        let body = try JSONEncoder().encode(payload)
        return base64URL(Array(header.utf8)) + "." + base64URL(body) + "." + base64URL(signature)
    }
}
