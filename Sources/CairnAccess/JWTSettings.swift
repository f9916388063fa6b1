import Foundation

/// How signed tokens (JWT) from a portal backend are checked: `auth.jwt` in the configuration.
public struct JWTSettings: Sendable, Equatable {
    /// One verification key, chosen by the token's `kid`; its algorithm is pinned.
    public struct Key: Sendable, Equatable {
        public enum Algorithm: String, Sendable, CaseIterable {
            case hs256 = "HS256", rs256 = "RS256", es256 = "ES256"
        }

        public enum Material: Sendable, Equatable {
            /// HS256 shared secret read from this environment variable.
            case secretEnvironment(String)
            /// HS256 shared secret read from this file (surrounding whitespace dropped).
            case secretFile(String)
            /// RS256/ES256 public key, PEM.
            case publicKeyFile(String)
        }

        public var kid: String
        public var algorithm: Algorithm
        public var material: Material

        public init(kid: String, algorithm: Algorithm, material: Material) {
            self.kid = kid
            self.algorithm = algorithm
            self.material = material
        }
    }

    /// Required `aud` (the token must name this service).
    public var audience: String
    /// Required `iss` when set.
    public var issuer: String?
    public var keys: [Key]
    /// Longest accepted `exp - iat` (or `exp - now` without `iat`), seconds.
    public var maxLifetime: Int
    /// Clock skew tolerance for `exp`, `nbf` and `iat`, seconds (at most 60).
    public var leeway: Int

    public static let maximumLeeway = 60
    public static let maximumLifetime = 24 * 3600

    public init(audience: String, issuer: String? = nil, keys: [Key], maxLifetime: Int = 3600, leeway: Int = 30) {
        self.audience = audience
        self.issuer = issuer
        self.keys = keys
        self.maxLifetime = maxLifetime
        self.leeway = leeway
    }
}

/// Reads secrets from where the configuration points, never from the configuration itself.
public enum SecretSource {
    /// The secret bytes; at least 32 bytes so HMAC keys are not guessable.
    public static func read(environment name: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                            purpose: String) throws(AccessError) -> [UInt8] {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            throw AccessError(.configuration, "\(purpose): environment variable \(name) is not set")
        }
        return try checked(Array(value.utf8), purpose: purpose + " (\(name))")
    }

    public static func read(file path: String, purpose: String) throws(AccessError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw AccessError(.configuration, "\(purpose): cannot read the secret file \(path)")
        }
        return try checked(Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8), purpose: purpose + " (\(path))")
    }

    static func checked(_ bytes: [UInt8], purpose: String) throws(AccessError) -> [UInt8] {
        guard bytes.count >= 32 else {
            throw AccessError(.configuration, "\(purpose): the secret must be at least 32 bytes (got \(bytes.count)); e.g. `openssl rand -hex 32`")
        }
        return bytes
    }
}
