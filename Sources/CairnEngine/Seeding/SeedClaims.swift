import CairnCache
import CairnCore
import Foundation
import Logging
import NIOPosix

/// One seed's claims on the metatiles it makes (`MBTilesStore+Claims`), so that concurrent
/// seeds of one file share the work instead of doing it twice. The check for tiles already
/// cached runs after claiming, so a metatile another seeder finished meanwhile costs a lookup.
struct SeedClaims: Sendable {
    let store: MBTilesStore
    /// Unique to this seed run, in this process or any other.
    let owner: String
    /// How long a claim holds without being released: far longer than a metatile takes (the
    /// render budget, thrice, plus time queued), and how long a crashed seeder's metatiles wait
    /// before another seeder takes them over.
    let lease: Duration
    let pool: NIOThreadPool
    /// False when the file cannot hold claims (read-only, say): the seed then works unclaimed.
    let enabled: Bool

    /// Opens the claims of `store` for a new seed run.
    static func open(_ store: MBTilesStore, renderTimeout: Duration, pool: NIOThreadPool, logger: Logger) async -> SeedClaims {
        let owner = "\(Self.host) \(getpid()) \(UUID().uuidString.lowercased())"
        let lease = Duration.seconds(120) + renderTimeout * 3
        var enabled = true
        do {
            try await pool.runIfActive { try store.prepareClaims() }
        } catch {
            logger.warning("cannot claim metatiles in the cache file; a concurrent seed of it may render the same tiles", metadata: ["file": "\(store.path)", "error": "\(error)"])
            enabled = false
        }
        return SeedClaims(store: store, owner: owner, lease: lease, pool: pool, enabled: enabled)
    }

    /// This machine's name, as owners carry it ("host pid uuid").
    static let host: String = {
        // gethostname, not ProcessInfo.hostName, which may wait on a name lookup.
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name.replacingOccurrences(of: " ", with: "_")
    }()

    /// True for an owner on this machine whose process no longer exists: a seed killed with
    /// `kill -9` and run again resumes at once instead of waiting for its old claims to expire.
    /// A reused pid only makes the claim wait for its lease, as one from another machine does.
    @Sendable static func isDeadProcessOnThisHost(_ owner: String) -> Bool {
        let parts = owner.split(separator: " ")
        guard parts.count == 3, parts[0] == host, let pid = pid_t(parts[1]), pid > 0, pid != getpid() else { return false }
        return kill(pid, 0) == -1 && errno == ESRCH
    }

    /// Runs `work` holding the claim on `metatile` and releases it afterwards. Another seeder's
    /// claim: nil at once without `wait`; with `wait`, polls until that claim is released or has
    /// expired (an empty outcome if the task is cancelled meanwhile).
    func withClaim(_ metatile: Metatile, wait: Bool, _ work: () async -> SeedBatchOutcome) async -> SeedBatchOutcome? {
        guard enabled else { return await work() }
        var pause = Duration.milliseconds(20)
        while true {
            let claimed: Bool
            do {
                claimed = try await pool.runIfActive { [store, owner, lease] in
                    try store.claim(metatile, owner: owner, lease: lease, isAbandoned: Self.isDeadProcessOnThisHost)
                }
            } catch {
                // A claim that cannot be written costs at worst a render twice; the store's own
                // errors are reported by the batch that follows.
                claimed = true
            }
            if claimed { break }
            guard wait else { return nil }
            do {
                try await Task.sleep(for: pause)
            } catch {
                return SeedBatchOutcome()
            }
            pause = min(pause * 2, .seconds(1))
        }
        let outcome = await work()
        _ = try? await pool.runIfActive { [store, owner] in try store.releaseClaim(metatile, owner: owner) }
        return outcome
    }
}
