import CairnConfiguration
import CairnAccess
import CairnEngine
import CairnServer
import Foundation

extension ServeCommand {
    /// Keys file, JWT keys, signing secret and audit log, checked before the server starts.
    func loadAccessControl(_ configuration: CairnConfiguration) async throws -> AccessControl {
        let internalMaps = configuration.maps.filter { $0.access == .internal }.map(\.name)
        let auth = configuration.auth
        if !internalMaps.isEmpty && auth.keysFile == nil && auth.jwt == nil && auth.signingSecret == nil {
            warn("internal map(s) \(internalMaps.joined(separator: ", ")) cannot be opened: `auth:` configures no keys_file, jwt or signing secret")
        }
        if !internalMaps.isEmpty && auth.auditLog == nil {
            warn("internal maps are served without an audit log; set auth.audit_log to record who opened them")
        }
        do {
            return try await AccessControl.load(configuration: configuration)
        } catch {
            throw CommandFailure(message: error.message)
        }
    }

    private func warn(_ message: String) {
        FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
    }
}
