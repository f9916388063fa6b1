import Foundation

/// The `auth:` section of the configuration: where credentials are checked against.
/// Secrets are never inline: they come from environment variables or files.
public struct AuthSettings: Sendable, Equatable {
    public enum Secret: Sendable, Equatable {
        case environment(String)
        case file(String)
    }

    /// API keys file (hashes only), absolute path.
    public var keysFile: String?
    public var jwt: JWTSettings?
    /// Secret for signed embed URLs and their tile tokens.
    public var signingSecret: Secret?
    /// JSON-lines audit log of access to internal maps, absolute path.
    public var auditLog: String?
    /// Longest lifetime of a signed embed URL, in seconds (`auth.embed_max_lifetime`): longer
    /// ones are refused when signing and when verifying, so a leaked URL cannot stay good for years.
    public var embedMaxLifetime: TimeInterval = URLSigner.defaultEmbedMaxLifetime

    public init(keysFile: String? = nil, jwt: JWTSettings? = nil, signingSecret: Secret? = nil, auditLog: String? = nil) {
        self.keysFile = keysFile
        self.jwt = jwt
        self.signingSecret = signingSecret
        self.auditLog = auditLog
    }

    /// Reads the signing secret, if one is configured.
    public func loadSigningSecret(environment: [String: String]) throws(AccessError) -> [UInt8]? {
        switch signingSecret {
        case nil: return nil
        case .environment(let name)?: return try SecretSource.read(environment: name, environment: environment, purpose: "auth.signing")
        case .file(let path)?: return try SecretSource.read(file: path, purpose: "auth.signing")
        }
    }
}
