import Foundation

/// How a database's `LISTEN` connection is, for `/health`: never a password (the URL is the
/// configuration's `displayURL`, the reason PostgreSQL's message or the network error).
public enum ChangeListenerState: Sendable, Equatable {
    /// Not connected yet since the server started.
    case connecting
    /// Listening since `since`.
    case connected(since: Date)
    /// Lost (or never made) and trying again; tiles drawn from the database are marked stale once
    /// it is back, since notifications may have been missed meanwhile.
    case reconnecting(reason: String, attempts: Int)

    public var name: String {
        switch self {
        case .connecting: "connecting"
        case .connected: "connected"
        case .reconnecting: "reconnecting"
        }
    }
}
