import CSQLite

/// A failed SQLite call: the result code, SQLite's message, the statement and the database file.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code (e.g. SQLITE_BUSY_SNAPSHOT); `primaryCode` strips the extension.
    public var code: Int32
    public var message: String
    /// The SQL that failed, when there was one.
    public var sql: String?
    /// The database file.
    public var path: String
    /// The operating system's error number behind an I/O error (`sqlite3_system_errno`), 0 when none.
    public var systemErrno: Int32

    public init(code: Int32, message: String, sql: String? = nil, path: String, systemErrno: Int32 = 0) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
        self.systemErrno = systemErrno
    }

    /// The primary result code (SQLITE_BUSY, SQLITE_CONSTRAINT, ...).
    public var primaryCode: Int32 { code & 0xFF }

    /// Another connection held a lock longer than the busy timeout allowed.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    public var description: String {
        var text = "\(path): SQLite error \(code): \(message)"
        if let sql { text += " (in \"\(sql)\")" }
        return text
    }
}
