import CairnCache
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A cache file that cannot be opened, with the reason in an operator's words: read-only, no
/// space, not a cache, or what SQLite said.
public struct CacheOpenError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable { case readOnly, noSpace, notACache, failed }

    public var code: Code
    /// The cache file.
    public var path: String
    /// Why, naming what was expected.
    public var reason: String

    /// Explains `error`, thrown while opening the file at `path`. Asks the filesystem (access,
    /// statvfs), so call on a pool thread.
    public init(_ error: any Error, path: String) {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let underlying = (error as? MBTilesError)?.message ?? "\(error)"
        if let error = error as? MBTilesError, error.code == .noSpace {
            code = .noSpace
            reason = "no space left on its disk (\(FreeSpace(of: path).map { "\($0)" } ?? "free space unknown")): \(underlying)"
        } else if let error = error as? MBTilesError, error.code == .notACache {
            code = .notACache
            reason = "not a Cairn tile cache (an MBTiles file with its map/images tables was expected): \(underlying)"
        } else if underlying.contains("file is not a database") {
            code = .notACache
            reason = "not an SQLite file (a tile cache is an MBTiles file, which is SQLite): \(underlying)"
        } else if FileManager.default.fileExists(atPath: path), access(path, W_OK) != 0 {
            code = .readOnly
            reason = "the file is read-only (\(String(cString: strerror(errno)))): \(underlying)"
        } else if FileManager.default.fileExists(atPath: folder), access(folder, W_OK) != 0 {
            code = .readOnly
            reason = "its folder \(folder) is not writable (\(String(cString: strerror(errno)))), and SQLite needs to create files beside it: \(underlying)"
        } else {
            code = .failed
            reason = underlying
        }
    }

    public var description: String { "\(path): \(reason)" }
}
