import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How much room the filesystem holding a file has left (statvfs of its folder), for the messages
/// an operator reads when a cache cannot be written.
public struct FreeSpace: Sendable, Codable, Hashable, CustomStringConvertible {
    /// Bytes an unprivileged process may still write.
    public var availableBytes: Int64
    /// The filesystem's size.
    public var totalBytes: Int64

    public init(availableBytes: Int64, totalBytes: Int64) {
        self.availableBytes = availableBytes
        self.totalBytes = totalBytes
    }

    /// The space of the filesystem holding `path` (or, when `path` does not exist yet, its folder);
    /// nil when neither can be asked. Blocks on the filesystem: call on a pool thread.
    public init?(of path: String) {
        var info = statvfs()
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard statvfs(path, &info) == 0 || statvfs(folder, &info) == 0 else { return nil }
        let unit = Int64(info.f_frsize == 0 ? info.f_bsize : info.f_frsize)
        availableBytes = Int64(info.f_bavail) * unit
        totalBytes = Int64(info.f_blocks) * unit
    }

    /// "12 KiB free of 2.0 MiB".
    public var description: String { "\(Self.format(availableBytes)) free of \(Self.format(totalBytes))" }

    /// Bytes in binary units, to one decimal above KiB ("0 B", "512 KiB", "1.5 GiB").
    public static func format(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\(bytes / 1024) KiB" }
        let units = ["MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes) / (1024 * 1024)
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return String(format: "%.1f %@", value, units[unit])
    }
}
