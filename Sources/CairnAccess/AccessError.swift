/// Why a credential or an access setting was refused. Messages never contain the secret itself.
public struct AccessError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The credential is missing, malformed, forged, expired or revoked (HTTP 401).
        case invalidCredential
        /// The credential is valid but does not cover this map, area or zoom (HTTP 404, like an unknown map).
        case notPermitted
        /// A keys file, signing secret or public key cannot be used.
        case configuration
    }

    public var code: Code
    public var message: String
    /// What the client may be told: set only for a credential whose signature was verified (so it
    /// tells a forger nothing), e.g. an out-of-range `bbox` claim or an embed URL signed for too long.
    /// Otherwise refusals all read alike.
    public var clientReason: String?

    public init(_ code: Code, _ message: String, clientReason: String? = nil) {
        self.code = code
        self.message = message
        self.clientReason = clientReason
    }

    public var description: String { message }
}
