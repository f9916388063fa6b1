import CairnAccess
import CairnEngine
import Foundation
import Synchronization

/// Everything the server needs to decide who sees which map: the maps' access classes and embed
/// origins, the credential verifier, and the audit log. Built at start-up; the access classes and
/// embed origins can be replaced while serving (`updateMaps(from:)`, on `POST /admin/reload`).
public final class AccessControl: Sendable {
    public let verifier: CredentialVerifier
    public let audit: AuditLog?
    private let table: Mutex<[String: MapConfiguration]>

    /// The maps by name, as last set; a map missing here is unknown (404 to everyone).
    var maps: [String: MapConfiguration] { table.withLock { $0 } }

    /// - Parameters:
    ///   - verifier: without one, no credential is accepted and internal maps are invisible to everyone.
    public init(configuration: CairnConfiguration, verifier: CredentialVerifier = CredentialVerifier(), audit: AuditLog? = nil) {
        self.verifier = verifier
        self.audit = audit
        self.table = Mutex(Self.byName(configuration))
    }

    /// Takes the maps' `access` and `embed_origins` from a re-read configuration, so a map switched
    /// from public to internal is refused to anonymous clients from the next request on. A map no
    /// longer in the configuration becomes unknown (404); maps added need a restart.
    public func updateMaps(from configuration: CairnConfiguration) {
        let updated = Self.byName(configuration)
        table.withLock { maps in
            var next: [String: MapConfiguration] = [:]
            for (name, current) in maps {
                guard let changed = updated[name] else { continue }
                var map = current
                map.access = changed.access
                map.embedOrigins = changed.embedOrigins
                next[name] = map
            }
            maps = next
        }
    }

    private static func byName(_ configuration: CairnConfiguration) -> [String: MapConfiguration] {
        Dictionary(configuration.maps.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
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
    /// The maps' current access classes (set by `AccessMiddleware`).
    var control: AccessControl?

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

    /// The tile token for the HTML page of an internal map (whose `<img>` tiles and MapLibre
    /// requests cannot send the caller's credential), else nil. Only `AccessMiddleware`'s path for
    /// internal maps sets a signer, so a public map's page never gets one.
    static func tileToken(for map: LoadedMap) -> String? {
        current?.tileToken(for: map.name)
    }

    /// `?token=…` for the tile URLs of an HTML page about an internal map, else "".
    static func tileQuery(for map: LoadedMap) -> String {
        tileToken(for: map).map { "?token=" + $0 } ?? ""
    }

    /// The configured maps this request may see, in configuration order. Without the access
    /// middleware (no task-local value) only public maps are visible. The access classes are the
    /// access control's (which a reload may have changed), not the engine's start-up configuration.
    static func visibleMapNames(_ engine: TileEngine) -> [String] {
        let principal = current?.principal
        let live = current?.control?.maps
        return engine.configuration.maps.filter { configured in
            let access = live == nil ? configured.access : live?[configured.name]?.access
            return access == .public || (access == .internal && principal?.allows(map: configured.name) == true)
        }.map(\.name)
    }
}
