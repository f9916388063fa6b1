import CairnAccess
import CairnEngine
import Foundation

/// Everything the server needs to decide who sees which map: the maps' access classes and embed
/// origins, the credential verifier, and the audit log. Built once at start-up.
public final class AccessControl: Sendable {
    public let verifier: CredentialVerifier
    public let audit: AuditLog?
    let maps: [String: MapConfiguration]

    /// - Parameters:
    ///   - verifier: without one, no credential is accepted and internal maps are invisible to everyone.
    public init(configuration: CairnConfiguration, verifier: CredentialVerifier = CredentialVerifier(), audit: AuditLog? = nil) {
        self.verifier = verifier
        self.audit = audit
        self.maps = Dictionary(configuration.maps.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Loads keys file, JWT keys, signing secret and audit log as `configuration.auth` says.
    public static func load(configuration: CairnConfiguration,
                            environment: [String: String] = ProcessInfo.processInfo.environment) async throws(AccessError) -> AccessControl {
        let verifier = try await CredentialVerifier(settings: configuration.auth, environment: environment)
        let audit = try configuration.auth.auditLog.map { path throws(AccessError) in try AuditLog(path: path) }
        return AccessControl(configuration: configuration, verifier: verifier, audit: audit)
    }

    func access(of map: String) -> MapAccess? { maps[map]?.access }

    /// Whether `principal` may see `map` at all (a listing entry, a document).
    func canSee(_ map: String, principal: Principal?) -> Bool {
        switch maps[map]?.access {
        case .public?: return true
        case .internal?: return principal?.allows(map: map) == true
        case nil: return false
        }
    }
}

/// The outcome of authentication for the request being handled, visible to controllers
/// (for filtering listings) through a task-local value set by `AccessMiddleware`.
struct RequestAccess: Sendable {
    var principal: Principal?
    /// The verified embed URL, when the request is an embed page opened with one.
    var embed: EmbedGrant?
    /// Mints tile tokens for pages whose `<img>` tiles cannot send the caller's credential.
    var signer: URLSigner?

    @TaskLocal static var current: RequestAccess?

    /// A tile token for `map` carrying this request's grant (the embed URL's scope, or the
    /// principal's), or nil without a principal or a signing secret.
    func tileToken(for map: String) -> String? {
        guard let signer, let principal, principal.allows(map: map) else { return nil }
        if let embed { return signer.tileToken(for: embed) }
        var grant = EmbedGrant(map: map, expiresAt: principal.expiresAt ?? Date().addingTimeInterval(URLSigner.tileTokenLifetime),
                               id: principal.id)
        grant.bbox = principal.bbox
        grant.minZoom = principal.minZoom
        grant.maxZoom = principal.maxZoom
        return signer.tileToken(for: grant)
    }

    /// `?token=…` for the tile URLs of an HTML page about an internal map, else "".
    static func tileQuery(for map: LoadedMap) -> String {
        guard map.configuration.access == .internal, let token = current?.tileToken(for: map.name) else { return "" }
        return "?token=" + token
    }

    /// The configured maps this request may see, in configuration order. Without the access
    /// middleware (no task-local value) only public maps are visible.
    static func visibleMapNames(_ engine: TileEngine) -> [String] {
        let principal = current?.principal
        return engine.configuration.maps.filter { map in
            map.access == .public || (map.access == .internal && principal?.allows(map: map.name) == true)
        }.map(\.name)
    }
}
