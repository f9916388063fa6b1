import Synchronization

/// Stops a seed once its cache cannot take more tiles: set by the first batch whose store finds
/// the disk full, read by the run loop (which starts no more batches) and by batches already
/// queued (which then render nothing). A full disk does not empty itself, so rendering on would
/// only make tiles to throw away.
final class SeedHalt: Sendable {
    private let failure = Mutex<CacheWriteError?>(nil)

    /// The write failure that stopped the seed, nil while it runs.
    var reason: CacheWriteError? { failure.withLock { $0 } }
    var isHalted: Bool { reason != nil }

    /// Stops the seed; the first reason is kept.
    func halt(_ reason: CacheWriteError) {
        failure.withLock { if $0 == nil { $0 = reason } }
    }
}
