import Synchronization

/// The last PostGIS table problem of each map (a dropped table, a missing column), until one of its
/// renders succeeds again: `/health` names it.
final class PostGISProblems: Sendable {
    private let problems = Mutex<[String: String]>([:])
    private let warned = Mutex<Set<String>>([])

    /// True the first time `key` is seen: a warning said once, not per tile.
    func firstWarning(_ key: String) -> Bool {
        warned.withLock { $0.insert(key).inserted }
    }

    /// Records `message` for `map`; true when it is new (log it once, not per tile).
    func record(map: String, _ message: String) -> Bool {
        problems.withLock { problems in
            defer { problems[map] = message }
            return problems[map] != message
        }
    }

    func clear(map: String) {
        _ = problems.withLock { $0.removeValue(forKey: map) }
    }

    var all: [String: String] { problems.withLock { $0 } }
}
