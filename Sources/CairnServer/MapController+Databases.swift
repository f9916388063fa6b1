import CairnCore
import CairnEngine
import CairnPostGIS
import Foundation

extension MapController {
    /// `/health`'s `databases.NAME.listen`: the database's `LISTEN` connection (`connected` since
    /// when, or `reconnecting` and why — PostgreSQL's message or the network error, never a
    /// password). Returns false when one is not connected: edits are not reaching the tiles meanwhile.
    func addChangeListeners(to databases: inout [String: JSONValue]) -> Bool {
        var healthy = true
        for listener in engine.changeListenerStatuses {
            var listen: JSONValue = ["state": JSONValue(listener.state.name), "url": JSONValue(listener.url),
                                     "reconnects": JSONValue(listener.reconnects)]
            switch listener.state {
            case .connected(let since):
                listen[member: "since"] = JSONValue(ISO8601DateFormatter().string(from: since))
            case .connecting:
                healthy = false
            case .reconnecting(let reason, let attempts):
                healthy = false
                listen[member: "reason"] = JSONValue(String(reason.prefix(300)))
                listen[member: "attempts"] = JSONValue(attempts)
            }
            var entry = databases[listener.database] ?? JSONValue.object([])
            entry[member: "listen"] = listen
            databases[listener.database] = entry
        }
        return healthy
    }
}
