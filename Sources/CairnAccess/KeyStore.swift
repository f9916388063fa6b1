import Crypto
import Foundation

/// Verifies API keys against the keys file. The file is re-read when it changes (checked at
/// most once a second), so `cairn keys revoke` takes effect without a restart. A file that
/// fails to read keeps the previous keys in force; the failure is kept in `problem` (for
/// `/health`) and passed to `onReload` (for the log) every time the file is read, until a good
/// file is read.
public final class KeyStore: @unchecked Sendable {
    /// What a (re)read of the keys file found: the number of keys, or why the file was refused.
    public typealias ReloadReport = @Sendable (_ path: String, _ outcome: Result<Int, AccessError>) -> Void
    public let path: String?
    private let lock = NSLock()
    private var records: [String: APIKeyRecord] = [:]
    /// Modification date, size and inode of the file as last read: `cairn keys` replaces the
    /// file by renaming, so a change shows even within the timestamp's resolution.
    private var fingerprint: [String]?
    private var lastCheck: ContinuousClock.Instant?
    private var failure: AccessError?
    private var reporter: ReloadReport?

    /// Why the keys file was last refused; nil once a good file is read.
    public var problem: AccessError? { lock.withLock { failure } }

    /// Called after every read of the keys file after start (on change or `reloadNow()`).
    public func onReload(_ report: @escaping ReloadReport) {
        lock.withLock { reporter = report }
    }

    /// An empty store: every key is refused.
    public init() {
        path = nil
    }

    /// - Throws: `AccessError` when the file exists but cannot be read.
    public init(path: String) throws(AccessError) {
        self.path = path
        try reload()
    }

    public init(records: [APIKeyRecord]) {
        path = nil
        self.records = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func reload() throws(AccessError) {
        guard let path else { return }
        let stamp = Self.fingerprint(of: path)
        let loaded: [APIKeyRecord]
        do {
            loaded = try KeyFile.read(path)
        } catch {
            // The fingerprint is kept, so the broken file is not re-read every second; a fix changes it.
            lock.withLock {
                failure = error
                fingerprint = stamp
            }
            throw error
        }
        lock.withLock {
            records = Dictionary(loaded.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            fingerprint = stamp
            failure = nil
        }
    }

    /// Re-reads the file now (SIGHUP), whether or not it changed.
    /// - Returns: the number of keys in force, or why the file was refused (the previous keys stay).
    @discardableResult
    public func reloadNow() -> Result<Int, AccessError> {
        guard let path else { return .success(0) }
        let outcome: Result<Int, AccessError>
        do {
            try reload()
            outcome = .success(lock.withLock { records.count })
        } catch {
            outcome = .failure(error)
        }
        lock.withLock { reporter }?(path, outcome)
        return outcome
    }

    /// Re-reads the file if it changed and the last check is more than a second old.
    public func checkForChanges() {
        refreshIfChanged()
    }

    private static func fingerprint(of path: String) -> [String]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return [attributes[.modificationDate], attributes[.size], attributes[.systemFileNumber]].map { "\($0 ?? "")" }
    }

    private func refreshIfChanged() {
        guard let path else { return }
        let clock = ContinuousClock()
        let due: Bool = lock.withLock {
            let current = clock.now
            if let lastCheck, current - lastCheck < .seconds(1) { return false }
            lastCheck = current
            return true
        }
        guard due else { return }
        if Self.fingerprint(of: path) != lock.withLock({ fingerprint }) {
            // A half-written or broken file keeps the previous keys rather than opening or closing everything.
            reloadNow()
        }
    }

    /// The principal of a valid, active key.
    /// - Throws: `AccessError(.invalidCredential)` for malformed, unknown, wrong, revoked or expired keys
    ///   (one message for all, so responses do not tell which).
    public func verify(_ key: String, now: Date = Date()) throws(AccessError) -> Principal {
        refreshIfChanged()
        let refused = AccessError(.invalidCredential, "invalid or expired credential")
        let id = APIKey.id(of: key)
        let record = id.flatMap { id in lock.withLock { records[id] } }
        // Hash and compare even for unknown ids, so the time taken does not reveal which ids exist.
        let presented = Array(APIKey.hash(of: key).utf8)
        let expected = Array((record?.hash ?? "sha256:" + String(repeating: "0", count: 64)).utf8)
        let matches = ConstantTime.equals(presented, expected)
        guard let record, matches, record.isActive(at: now) else { throw refused }
        return Principal(kind: .apiKey, id: record.id, maps: Set(record.maps), origins: record.origins ?? [],
                         expiresAt: record.expires)
    }
}
