/// A failure of the MBTiles cache, naming the file.
public struct MBTilesError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case invalidTile, invalidETag, notACache, database, noSpace
        }
        private let wrapped: Wrapped
        /// A tile address outside the zoom's 2^z by 2^z grid.
        public static var invalidTile: Self { .init(wrapped: .invalidTile) }
        /// An ETag that cannot name an image: empty, or with quotes inside.
        public static var invalidETag: Self { .init(wrapped: .invalidETag) }
        /// The file is an MBTiles or SQLite file this cache did not create (or an older Cairn layout).
        public static var notACache: Self { .init(wrapped: .notACache) }
        /// SQLite failed (I/O, full disk, a lock held past the busy timeout).
        public static var database: Self { .init(wrapped: .database) }
        /// The file's filesystem is full (SQLITE_FULL, ENOSPC, EFBIG): nothing more can be written
        /// until space is freed; what was committed before is intact.
        public static var noSpace: Self { .init(wrapped: .noSpace) }
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var path: String
    public var message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
