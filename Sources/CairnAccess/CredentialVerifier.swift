import Foundation

/// Turns any presented credential into a `Principal`, with the configured key store, JWT keys
/// and URL signer. Every refusal is the same `invalidCredential` error.
public final class CredentialVerifier: Sendable {
    public let keys: KeyStore
    public let tokens: JWTVerifier?
    public let signer: URLSigner?

    public init(keys: KeyStore = KeyStore(), tokens: JWTVerifier? = nil, signer: URLSigner? = nil) {
        self.keys = keys
        self.tokens = tokens
        self.signer = signer
    }

    /// Loads everything `settings` points at.
    public convenience init(settings: AuthSettings, environment: [String: String] = ProcessInfo.processInfo.environment) async throws(AccessError) {
        let keys = try settings.keysFile.map { path throws(AccessError) in try KeyStore(path: path) } ?? KeyStore()
        var tokens: JWTVerifier?
        if let jwt = settings.jwt { tokens = try await JWTVerifier(settings: jwt, environment: environment) }
        let signer = try settings.loadSigningSecret(environment: environment).map { URLSigner(secret: $0, maxEmbedLifetime: settings.embedMaxLifetime) }
        self.init(keys: keys, tokens: tokens, signer: signer)
    }

    public func verify(_ credential: PresentedCredential, now: Date = Date()) async throws(AccessError) -> Principal {
        switch credential {
        case .apiKey(let key):
            return try keys.verify(key, now: now)
        case .token(let token):
            if URLSigner.looksLikeTileToken(token) {
                guard let signer else { throw AccessError(.invalidCredential, "invalid or expired credential") }
                return try signer.verifyTileToken(token, now: now)
            }
            guard let tokens else { throw AccessError(.invalidCredential, "invalid or expired credential") }
            return try await tokens.verify(token, now: now)
        }
    }
}
