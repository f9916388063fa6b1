import CairnCore
import Foundation
import JWTKit

/// Issues HS256 tokens with a configured shared secret, as a portal backend does; for
/// `cairn keys sign-token` (trying out a setup, scripts). RS256/ES256 tokens are issued by
/// whoever holds the private key, never by Cairn.
public enum TokenIssuer {
    public static func issue(key: JWTSettings.Key, audience: String, issuer: String?, subject: String, maps: [String],
                             lifetime: TimeInterval, origins: [String]? = nil, bbox: BoundingBox? = nil,
                             environment: [String: String] = ProcessInfo.processInfo.environment,
                             now: Date = Date()) async throws(AccessError) -> String {
        let secret: [UInt8]
        switch key.material {
        case .secretEnvironment(let name): secret = try SecretSource.read(environment: name, environment: environment, purpose: "auth.jwt key \(key.kid)")
        case .secretFile(let path): secret = try SecretSource.read(file: path, purpose: "auth.jwt key \(key.kid)")
        case .publicKeyFile: throw AccessError(.configuration, "auth.jwt key \(key.kid) is \(key.algorithm.rawValue): only its private key holder can issue tokens")
        }
        var claims = TileClaims(aud: [audience], maps: maps)
        claims.sub = subject
        claims.iss = issuer
        claims.iat = now.timeIntervalSince1970.rounded(.down)
        claims.exp = (now.timeIntervalSince1970 + lifetime).rounded(.down)
        claims.origins = origins
        claims.bbox = bbox.map { [$0.minX, $0.minY, $0.maxX, $0.maxY] }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
        do {
            return try await keys.sign(claims, kid: JWKIdentifier(string: key.kid))
        } catch {
            throw AccessError(.configuration, "cannot sign the token: \(error)")
        }
    }
}
