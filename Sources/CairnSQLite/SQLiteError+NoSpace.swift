import CSQLite
#if canImport(Glibc)
import Glibc
#endif

extension SQLiteError {
    /// The file's filesystem has no room (or the process's file size limit was reached): SQLite's
    /// SQLITE_FULL (which is what it makes of ENOSPC on a write), or an I/O error whose operating
    /// system error is ENOSPC, EDQUOT or EFBIG (growing the shared-memory index, `RLIMIT_FSIZE`).
    /// Retrying will not help until space is freed.
    public var isNoSpace: Bool {
        if primaryCode == SQLITE_FULL { return true }
        guard primaryCode == SQLITE_IOERR else { return false }
        return systemErrno == ENOSPC || systemErrno == EDQUOT || systemErrno == EFBIG
    }
}
