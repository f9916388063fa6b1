import CSQLite

/// One compiled statement. Values go in through `bind` only (never into the SQL text);
/// parameter indexes start at 1, column indexes at 0, as in SQLite.
/// Finalized in deinit; keeps its connection alive until then.
public final class SQLiteStatement {
    /// A column value's storage class.
    public enum ColumnType: Sendable {
        case integer, double, text, blob, null
    }

    /// The raw statement, for calls this wrapper does not cover.
    public let handle: OpaquePointer
    public let connection: SQLiteConnection
    /// The SQL it was compiled from, for error messages.
    public let sql: String

    init(handle: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: Binding

    /// Binds an integer to parameter `index` (from 1).
    public func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds an integer to parameter `index` (from 1).
    public func bind(_ value: Int, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    /// Binds a REAL to parameter `index` (from 1).
    public func bind(_ value: Double, at index: Int32) throws {
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds UTF-8 text to parameter `index` (from 1); SQLite copies it.
    public func bind(_ value: String, at index: Int32) throws {
        try check(sqlite3_bind_text64(handle, index, value, UInt64(value.utf8.count), cairn_sqlite_transient(), UInt8(SQLITE_UTF8)))
    }

    /// Binds a blob; an empty array binds a zero-length blob, not NULL.
    public func bind(_ value: [UInt8], at index: Int32) throws {
        let rc = value.withUnsafeBytes { bytes in
            // A zero-length blob still needs a non-null pointer, or SQLite binds NULL.
            sqlite3_bind_blob64(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64(bytes.count), cairn_sqlite_transient())
        }
        try check(rc)
    }

    /// Binds NULL to parameter `index` (from 1).
    public func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    /// Binds a string, or NULL when it is nil.
    public func bind(_ value: String?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: Running

    /// Advances to the next row: true when a row is available, false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(code: rc, sql: sql)
        }
    }

    /// Rewinds the statement so it can run again; bindings are kept.
    public func reset() {
        sqlite3_reset(handle)
    }

    // MARK: Columns

    /// The number of result columns.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The name of result column `index`.
    public func columnName(_ index: Int32) -> String {
        sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
    }

    /// The storage class of column `index` in the current row.
    @inline(__always)
    public func columnType(_ index: Int32) -> ColumnType {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer
        case SQLITE_FLOAT: return .double
        case SQLITE_TEXT: return .text
        case SQLITE_BLOB: return .blob
        default: return .null
        }
    }

    /// Whether column `index` of the current row is NULL.
    @inline(__always)
    public func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    /// Column `index` as an integer (0 for NULL).
    @inline(__always)
    public func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Column `index` as a REAL (0 for NULL).
    @inline(__always)
    public func double(_ index: Int32) -> Double { sqlite3_column_double(handle, index) }

    /// The column as UTF-8 text; nil when it is NULL.
    public func string(_ index: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// A copy of the column's bytes; empty for NULL or a zero-length blob.
    public func blob(_ index: Int32) -> [UInt8] {
        withBlob(index) { Array($0) }
    }

    /// Lends the column's bytes without copying. The buffer is valid only inside `body`
    /// (SQLite frees it on the next step, reset or type conversion).
    @inline(__always)
    public func withBlob<R>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let pointer = sqlite3_column_blob(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeRawBufferPointer(start: count > 0 ? pointer : nil, count: count))
    }

    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw connection.error(code: rc, sql: sql) }
    }
}
