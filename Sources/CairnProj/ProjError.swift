/// A PROJ failure: the error number PROJ reported, PROJ's own message for it, and the
/// CRS (or pair of CRSs) it was about, so a log line says which layer definition is wrong.
public struct ProjError: Error, Sendable, CustomStringConvertible {
    /// PROJ's error number (`PROJ_ERR_*`), or 0 when PROJ reported none (e.g. a non-CRS object).
    public var errno: Int32
    /// PROJ's message for `errno` (from `proj_context_errno_string`), or our own when PROJ has none.
    public var message: String
    /// A short description of the CRS(s) involved, e.g. `EPSG:999999` or `VN-2000_TM-3_105-45 (WKT) -> EPSG:3857`.
    public var crs: String
    /// What was being done, e.g. "creating CRS" or "transforming point 12".
    public var action: String

    public init(errno: Int32, message: String, crs: String, action: String) {
        self.errno = errno
        self.message = message
        self.crs = crs
        self.action = action
    }

    public var description: String {
        "PROJ error \(errno) while \(action) for \(crs): \(message)"
    }
}
