import CairnCache

/// Tiles could not be stored in a cache file. A seed counts the batch as failed (and stops on
/// `.noSpace`); serving answers with the tiles anyway, uncached.
public struct CacheWriteError: Error, Sendable, Codable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        /// The file's filesystem is full: nothing more can be stored until space is freed.
        case noSpace
        /// Any other failure (I/O, a lock held too long, a read-only file).
        case failed
    }

    public var code: Code
    /// The cache file.
    public var path: String
    /// What SQLite (or the filesystem) said.
    public var message: String
    /// The filesystem's free space when the write failed; set for `.noSpace`.
    public var space: FreeSpace?

    /// Classifies `error`, a failure of a store into the file at `path`. Reads the free space for
    /// a full disk, so call on a pool thread.
    public init(_ error: any Error, path: String) {
        self.path = path
        if let error = error as? MBTilesError {
            code = error.code == .noSpace ? .noSpace : .failed
            message = error.message
        } else {
            code = .failed
            message = "\(error)"
        }
        space = code == .noSpace ? FreeSpace(of: path) : nil
    }

    public var description: String {
        switch code {
        case .noSpace: "\(path): the disk is full (\(space.map { "\($0)" } ?? "free space unknown")): \(message)"
        case .failed: "\(path): \(message)"
        }
    }
}
