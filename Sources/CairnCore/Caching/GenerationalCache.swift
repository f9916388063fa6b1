/// A bounded map for caches on one thread: two generations of at most `generationSize` entries. A hit in
/// the older generation moves to the newer; when the newer fills, it becomes the older and the older is
/// dropped. So what is in use stays, and the rest goes, with no per-entry bookkeeping on a hit.
public struct GenerationalCache<Key: Hashable, Value> {
    public let generationSize: Int
    private var newer: [Key: Value] = [:]
    private var older: [Key: Value] = [:]

    public init(generationSize: Int) {
        self.generationSize = max(1, generationSize)
    }

    /// The value under `key`, or the one `make` gives, kept.
    public mutating func value(_ key: Key, make: () throws -> Value) rethrows -> Value {
        if let known = newer[key] { return known }
        let found = try older.removeValue(forKey: key) ?? make()
        if newer.count >= generationSize {
            older = newer
            newer = [:]
        }
        newer[key] = found
        return found
    }
}
