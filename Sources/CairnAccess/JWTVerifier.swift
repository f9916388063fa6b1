import CairnCore
import Foundation
import JWTKit

/// Verifies signed tokens (JWT) issued by a portal backend. Each configured key is chosen by
/// the token's `kid` and accepts only its own algorithm (`alg` pinned per key), so `alg: none`,
/// unknown algorithms and an HS256 token "signed" with an RSA public key all fail.
public final class JWTVerifier: Sendable {
    public let settings: JWTSettings
    private let collections: [String: (algorithm: JWTSettings.Key.Algorithm, keys: JWTKeyCollection)]

    /// Longest token text accepted; anything longer is refused before parsing.
    public static let maximumTokenBytes = 4096

    /// Loads every key (secrets from env/file, public keys from PEM).
    public init(settings: JWTSettings, environment: [String: String] = ProcessInfo.processInfo.environment) async throws(AccessError) {
        self.settings = settings
        var collections: [String: (JWTSettings.Key.Algorithm, JWTKeyCollection)] = [:]
        for key in settings.keys {
            let purpose = "auth.jwt key \(key.kid)"
            let collection = JWTKeyCollection()
            switch (key.algorithm, key.material) {
            case (.hs256, .secretEnvironment(let name)):
                let secret = try SecretSource.read(environment: name, environment: environment, purpose: purpose)
                await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
            case (.hs256, .secretFile(let path)):
                let secret = try SecretSource.read(file: path, purpose: purpose)
                await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
            case (.rs256, .publicKeyFile(let path)):
                guard let pem = try? String(contentsOfFile: path, encoding: .utf8), let publicKey = try? Insecure.RSA.PublicKey(pem: pem) else {
                    throw AccessError(.configuration, "\(purpose): \(path) is not an RSA public key in PEM")
                }
                await collection.add(rsa: publicKey, digestAlgorithm: .sha256)
            case (.es256, .publicKeyFile(let path)):
                guard let pem = try? String(contentsOfFile: path, encoding: .utf8), let publicKey = try? ES256PublicKey(pem: pem) else {
                    throw AccessError(.configuration, "\(purpose): \(path) is not a P-256 public key in PEM")
                }
                await collection.add(ecdsa: publicKey)
            default:
                throw AccessError(.configuration, "\(purpose): \(key.algorithm.rawValue) needs " +
                                  (key.algorithm == .hs256 ? "secret_env or secret_file" : "public_key_file"))
            }
            collections[key.kid] = (key.algorithm, collection)
        }
        self.collections = collections.mapValues { (algorithm: $0.0, keys: $0.1) }
    }

    /// The principal of a valid token.
    /// - Throws: `AccessError(.invalidCredential)` for every kind of bad token.
    public func verify(_ token: String, now: Date = Date()) async throws(AccessError) -> Principal {
        let refused = AccessError(.invalidCredential, "invalid or expired credential")
        guard token.utf8.count <= Self.maximumTokenBytes else { throw refused }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(Base64URL.isAlphabet) }),
              let headerBytes = Base64URL.decode(parts[0]),
              let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)),
              let kid = header.kid, let entry = collections[kid],
              header.alg == entry.algorithm.rawValue else { throw refused }
        let claims: TileClaims
        do {
            claims = try await entry.keys.verify(token, as: TileClaims.self)
        } catch {
            throw refused
        }
        return try check(claims, kid: kid, now: now)
    }

    struct Header: Decodable {
        var alg: String
        var kid: String?
    }

    /// Audience, issuer, time window, lifetime and scope.
    func check(_ claims: TileClaims, kid: String, now: Date) throws(AccessError) -> Principal {
        let refused = AccessError(.invalidCredential, "invalid or expired credential")
        let clock = now.timeIntervalSince1970
        let leeway = Double(min(max(settings.leeway, 0), JWTSettings.maximumLeeway))
        guard claims.aud.contains(settings.audience) else { throw refused }
        if let issuer = settings.issuer, claims.iss != issuer { throw refused }
        guard let exp = claims.exp, exp.isFinite, clock < exp + leeway else { throw refused }
        if let nbf = claims.nbf { guard nbf.isFinite, nbf <= clock + leeway else { throw refused } }
        let maxLifetime = Double(min(settings.maxLifetime, JWTSettings.maximumLifetime))
        if let iat = claims.iat {
            guard iat.isFinite, iat <= clock + leeway, exp - iat <= maxLifetime else { throw refused }
        }
        guard exp - clock <= maxLifetime + leeway else { throw refused }
        guard !claims.maps.isEmpty, claims.maps.count <= 256 else { throw refused }
        var bbox: BoundingBox?
        if let values = claims.bbox {
            bbox = try Self.checkedBoundingBox(values)
        }
        let subject = claims.sub.map { String($0.prefix(128)) } ?? kid
        return Principal(kind: .token, id: subject, maps: Set(claims.maps), origins: claims.origins ?? [], bbox: bbox,
                         minZoom: claims.minzoom, maxZoom: claims.maxzoom, expiresAt: Date(timeIntervalSince1970: exp))
    }

    /// The `bbox` claim, `[west, south, east, north]` in degrees: four finite numbers within
    /// −180…180 and −90…90, west < east and south < north. A box crossing the antimeridian
    /// (west > east) is not supported: the portal must send two tokens or the whole width.
    /// The token's signature is already verified here, so the reason can be told.
    static func checkedBoundingBox(_ values: [Double]) throws(AccessError) -> BoundingBox {
        func refuse(_ reason: String) -> AccessError {
            let message = "invalid token: the bbox claim \(values.map { "\($0)" }) \(reason)"
            return AccessError(.invalidCredential, message, clientReason: message)
        }
        guard values.count == 4 else { throw refuse("must have 4 numbers [west, south, east, north]") }
        guard values.allSatisfy(\.isFinite) else { throw refuse("must be finite numbers") }
        let (west, south, east, north) = (values[0], values[1], values[2], values[3])
        guard (-180...180).contains(west), (-180...180).contains(east) else { throw refuse("has a longitude outside -180...180") }
        guard (-90...90).contains(south), (-90...90).contains(north) else { throw refuse("has a latitude outside -90...90") }
        guard west < east else { throw refuse("has west >= east (a box crossing the antimeridian is not supported)") }
        guard south < north else { throw refuse("has south >= north") }
        return BoundingBox(minX: west, minY: south, maxX: east, maxY: north)
    }
}
