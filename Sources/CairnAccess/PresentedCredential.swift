/// A credential as found in a request, before verification.
public enum PresentedCredential: Sendable, Equatable {
    /// `cairn_…` API key.
    case apiKey(String)
    /// A JWT from a portal, or a `ct1.…` tile token.
    case token(String)

    /// Where credentials are looked for, in this order: `Authorization: Bearer`, `X-API-Key`,
    /// `?key=`, `?token=`. The bearer value is a key when it has the key prefix, else a token.
    /// - Returns: nil when none is present; `.token("")` for a present but empty/malformed one.
    public static func find(authorization: String?, apiKeyHeader: String?, keyParameter: String?, tokenParameter: String?) -> PresentedCredential? {
        if let authorization {
            let scheme = "bearer "
            guard authorization.count > scheme.count, authorization.prefix(scheme.count).lowercased() == scheme else { return .token("") }
            let value = authorization.dropFirst(scheme.count).trimmingCharacters(in: .init(charactersIn: " "))
            return APIKey.looksLikeKey(value) ? .apiKey(value) : .token(value)
        }
        if let apiKeyHeader { return .apiKey(apiKeyHeader.trimmingCharacters(in: .init(charactersIn: " "))) }
        if let keyParameter { return .apiKey(keyParameter) }
        if let tokenParameter { return .token(tokenParameter) }
        return nil
    }
}
