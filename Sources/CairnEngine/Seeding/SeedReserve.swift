import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A little disk space held back beside the cache file while seeding (`<file>-reserve`, 256 KiB),
/// given up when the disk fills so that the failed tiles can still be recorded for
/// `cairn seed --retry-failed`: on a full disk even that small write would fail. Removed when the
/// seed ends; a file left by a killed seed is reused by the next one. Best effort: when the
/// space cannot be reserved (the disk is already full), the seed runs without it.
/// Call on a pool thread: it blocks on the filesystem.
struct SeedReserve: Sendable {
    static let size = 256 * 1024
    let path: String

    init(beside cachePath: String) {
        path = cachePath + "-reserve"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        // Allocated blocks, not a sparse file (which would hold no space). When they cannot be
        // had (the disk is nearly full already), no reserve rather than a part of one.
        #if os(Linux)
        let allocated = posix_fallocate(descriptor, 0, off_t(Self.size)) == 0
        #else
        let allocated = false
        #endif
        close(descriptor)
        if !allocated { unlink(path) }
    }

    /// Frees the space.
    func release() {
        unlink(path)
    }
}
