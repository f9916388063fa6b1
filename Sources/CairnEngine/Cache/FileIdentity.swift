import Foundation

/// Which file a path names and which version of it: device and inode tell a file deleted and
/// re-created, or replaced by `mv`, from the one opened; size and modification time tell a file
/// changed in place (which only matters for files opened immutable).
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedNanoseconds: Int64

    /// nil when nothing is at `path` (or it cannot be examined). Blocks on `stat`: call on a pool thread.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    /// The same file (not necessarily the same content).
    func isSameFile(as other: FileIdentity) -> Bool {
        device == other.device && inode == other.inode
    }
}
