/// Whether a database can be read now, as `/health` shows it. The reason is the driver's or the
/// server's words with the display URL, never the password.
public enum DatabaseHealth: Sendable, Equatable {
    /// Not probed yet: queries are tried.
    case starting
    case up
    case down(reason: String)

    public var isDown: Bool { if case .down = self { true } else { false } }

    public var label: String {
        switch self {
        case .starting: "starting"
        case .up: "up"
        case .down: "down"
        }
    }

    public var reason: String? { if case .down(let reason) = self { reason } else { nil } }
}

/// One configured database's state, for `/health` and logs.
public struct DatabaseStatus: Sendable {
    public var name: String
    public var displayURL: String
    public var health: DatabaseHealth
}
