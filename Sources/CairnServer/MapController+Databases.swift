import CairnCore
import CairnEngine
import CairnPostGIS
import Foundation

extension MapController {
    /// `/health`'s `databases`: each database's `LISTEN` connection (connected, or reconnecting
    /// and why — PostgreSQL's message or the network error, never a password). Not connected
    /// degrades the service: edits are not reaching the tiles meanwhile.
    func databaseListenerHealth() -> (document: JSONValue, healthy: Bool)? {
        let listeners = engine.changeListenerStatuses
        guard !listeners.isEmpty else { return nil }
        var healthy = true
        var databases: [String: JSONValue] = [:]
        for listener in listeners {
            var entry: JSONValue = ["listen": JSONValue(listener.state.name), "url": JSONValue(listener.url),
                                    "reconnects": JSONValue(listener.reconnects)]
            switch listener.state {
            case .connected(let since):
                entry[member: "since"] = JSONValue(ISO8601DateFormatter().string(from: since))
            case .connecting:
                healthy = false
            case .reconnecting(let reason, let attempts):
                healthy = false
                entry[member: "reason"] = JSONValue(String(reason.prefix(300)))
                entry[member: "attempts"] = JSONValue(attempts)
            }
            databases[listener.database] = entry
        }
        return (JSONValue(sorting: databases), healthy)
    }
}
