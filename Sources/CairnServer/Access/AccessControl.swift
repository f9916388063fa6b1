import CairnConfiguration
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
    private let rejectedConfiguration = Mutex<ConfigurationProblem?>(nil)

    /// A configuration file re-read while serving that failed to load; the running configuration stays.
    public struct ConfigurationProblem: Sendable, Equatable {
        public var file: String
        public var error: String
    }

    /// Why the last re-read of the configuration file failed; nil after a good one (`updateMaps(from:)`).
    public var configurationProblem: ConfigurationProblem? { rejectedConfiguration.withLock { $0 } }

    /// Records a re-read that failed, for `/health`, until a good file is read.
    public func configurationRejected(file: String, error: String) {
        rejectedConfiguration.withLock { $0 = ConfigurationProblem(file: file, error: error) }
    }

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
        rejectedConfiguration.withLock { $0 = nil }
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
