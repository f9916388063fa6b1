import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A small `tmpfs` mounted on a fresh folder, for tests of a full disk: made in the test, sized in
/// the test, enlarged with a remount. Needs root (or CAP_SYS_ADMIN); tests using it carry
/// `.tmpfsMountable`, which skips them with a message where mounting is not permitted.
public final class TmpfsMount: @unchecked Sendable {
    // @unchecked: `path` never changes; `unmount` is called once, at the end of the test.
    public let path: String

    /// Mounts a tmpfs of `kibibytes` on a new folder under the temporary directory.
    public init(kibibytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-tmpfs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #if !os(Linux)
        try? FileManager.default.removeItem(atPath: path)
        throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "tmpfs mounts are made on Linux only"])
        #else
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(kibibytes)k,mode=0755") == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: path)
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSLocalizedDescriptionKey: "cannot mount a tmpfs on \(path): \(reason)"])
        }
        #endif
    }

    /// Changes the size, keeping the files (`mount -o remount,size=…`).
    public func resize(kibibytes: Int) throws {
        #if os(Linux)
        guard mount("tmpfs", path, "tmpfs", UInt(MS_REMOUNT), "size=\(kibibytes)k,mode=0755") == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot remount \(path): \(String(cString: strerror(errno)))"])
        }
        #endif
    }

    /// Remounts with other options (e.g. "ro"), keeping the files.
    public func remount(options: String) throws {
        #if os(Linux)
        guard mount("tmpfs", path, "tmpfs", UInt(MS_REMOUNT) | (options == "ro" ? UInt(MS_RDONLY) : 0), options) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot remount \(path) \(options): \(String(cString: strerror(errno)))"])
        }
        #endif
    }

    /// Writes a file of zeros until the filesystem is full; returns its path.
    @discardableResult
    public func fill(_ name: String = "filler") -> String {
        let file = path + "/" + name
        let descriptor = open(file, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard descriptor >= 0 else { return file }
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0, count: 4096)
        while block.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        return file
    }

    /// Detaches the mount (lazily, so a process still holding a file does not keep it busy) and
    /// removes the folder.
    public func unmount() {
        #if os(Linux)
        umount2(path, Int32(MNT_DETACH))
        #endif
        try? FileManager.default.removeItem(atPath: path)
    }

    /// True when this process may mount a tmpfs: tried once, on a throwaway folder.
    public static let isPermitted: Bool = {
        guard let probe = try? TmpfsMount(kibibytes: 64) else { return false }
        probe.unmount()
        return true
    }()
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only where a tmpfs can be mounted (root or CAP_SYS_ADMIN, as in CI); skipped
    /// otherwise with a message.
    public static var tmpfsMountable: Self {
        .enabled(if: TmpfsMount.isPermitted, "needs to mount a tmpfs (root or CAP_SYS_ADMIN) to make a full disk; mounting is not permitted here, skipped")
    }
}
