import CSQLite

/// One SQLite database connection. Not Sendable: use it from one thread at a time
/// (or guard it with a lock); the handle is closed in deinit.
public final class SQLiteConnection {
    /// How the file is opened.
    public struct OpenFlags: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let readOnly = OpenFlags(rawValue: SQLITE_OPEN_READONLY)
        public static let readWrite = OpenFlags(rawValue: SQLITE_OPEN_READWRITE)
        /// Read-write, creating the file when it does not exist.
        public static let readWriteCreate = OpenFlags(rawValue: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        /// Serialized threading mode for this connection.
        public static let fullMutex = OpenFlags(rawValue: SQLITE_OPEN_FULLMUTEX)
        public static let noMutex = OpenFlags(rawValue: SQLITE_OPEN_NOMUTEX)
        /// The path is a `file:` URI, so query parameters such as `immutable=1` apply.
        public static let uri = OpenFlags(rawValue: SQLITE_OPEN_URI)
    }

    /// The kinds of `BEGIN`.
    public enum TransactionKind: String, Sendable {
        case deferred = "DEFERRED"
        /// Takes the write lock at once, so a writer waits (busy timeout) at BEGIN instead of
        /// failing later when a read transaction cannot be upgraded.
        case immediate = "IMMEDIATE"
        case exclusive = "EXCLUSIVE"
    }

    /// The raw handle, for calls this wrapper does not cover.
    public let handle: OpaquePointer
    /// The database file.
    public let path: String

    /// Opens (or with `.readWriteCreate` creates) the database at `path`.
    public init(path: String, flags: OpenFlags = .readOnly, busyTimeoutMilliseconds: Int32? = nil) throws {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags.rawValue, nil)
        guard rc == SQLITE_OK, let db else {
            let code = db.map { sqlite3_extended_errcode($0) } ?? rc
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: code, message: message, path: path)
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        if let busyTimeoutMilliseconds { setBusyTimeout(milliseconds: busyTimeoutMilliseconds) }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// How long a statement waits for another connection's lock before it fails with SQLITE_BUSY.
    public func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Runs one or more statements that take no parameters and return no rows of interest.
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: sql, path: path,
                              systemErrno: sqlite3_system_errno(handle))
        }
    }

    /// Compiles one statement; bind its parameters with the statement's `bind` methods.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw error(code: rc, sql: sql)
        }
        return SQLiteStatement(handle: statement, connection: self, sql: sql)
    }

    /// Runs `body` inside BEGIN ... COMMIT, rolling back when it throws.
    public func transaction<T>(_ kind: TransactionKind = .deferred, _ body: () throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if !isAutocommit { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Keeps the `-wal` and `-shm` files when this connection closes (SQLITE_FCNTL_PERSIST_WAL):
    /// for a connection whose file was deleted or replaced, so closing it cannot delete by name
    /// the log files of the new file now at its path.
    public func keepWriteAheadLogOnClose() {
        var on: Int32 = 1
        _ = sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &on)
    }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// False while a transaction is open.
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// `name` as a quoted SQL identifier ("my ""table"""), for the table and column names that
    /// cannot be bound as parameters. Nil when it holds a NUL, which SQL text cannot carry.
    public static func quoteIdentifier(_ name: String) -> String? {
        if name.utf8.contains(0) { return nil }
        var quoted = "\""
        for character in name.unicodeScalars {
            if character == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(character) }
        }
        return quoted + "\""
    }

    /// The error SQLite reports for the last failed call on this connection.
    func error(code: Int32, sql: String?) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        return SQLiteError(
            code: extended != SQLITE_OK ? extended : code,
            message: String(cString: sqlite3_errmsg(handle)),
            sql: sql,
            path: path,
            systemErrno: sqlite3_system_errno(handle)
        )
    }
}
