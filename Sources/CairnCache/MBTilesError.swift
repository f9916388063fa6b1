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
    /// SQLite's extended result code, when SQLite failed: tells a damaged file (SQLITE_CORRUPT,
    /// SQLITE_NOTADB) or one that cannot be written (SQLITE_READONLY, SQLITE_FULL) from a busy one.
    public var sqliteCode: Int32?

    public init(_ code: Code, path: String, _ message: String, sqliteCode: Int32? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.sqliteCode = sqliteCode
    }

    /// The file itself is damaged or not a database: reading it again will not help.
    public var isDamagedFile: Bool {
        guard let primary = sqliteCode.map({ $0 & 0xFF }) else { return code == .notACache }
        return primary == 11 || primary == 26 // SQLITE_CORRUPT, SQLITE_NOTADB
    }

    /// The file (or its folder, or the disk) cannot be written or read at all: SQLITE_READONLY,
    /// SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_PERM, or a damaged file.
    public var isFileUnusable: Bool {
        guard let primary = sqliteCode.map({ $0 & 0xFF }) else { return code == .notACache }
        return isDamagedFile || [8, 10, 13, 14, 3].contains(primary)
    }

    public var description: String { "\(path): \(message)" }
}
