import Foundation
import JWTKit

/// Test key material generated per run with the openssl CLI (no private keys are committed).
enum TestKeys {
    static let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-access-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func openssl(_ arguments: [String]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
    }

    /// (private PEM, public PEM path)
    static let rsa: (privatePEM: String, publicPath: String) = {
        let key = folder + "/rsa.pem", pub = folder + "/rsa.pub.pem"
        openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key])
        openssl(["pkey", "-in", key, "-pubout", "-out", pub])
        return ((try? String(contentsOfFile: key, encoding: .utf8)) ?? "", pub)
    }()

    static let ec: (privatePEM: String, publicPath: String) = {
        let key = folder + "/ec.pem", pub = folder + "/ec.pub.pem"
        openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key])
        openssl(["pkey", "-in", key, "-pubout", "-out", pub])
        return ((try? String(contentsOfFile: key, encoding: .utf8)) ?? "", pub)
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
