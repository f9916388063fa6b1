import Foundation

/// The open-file limit and the connection cap derived from it. Every connection is a file
/// descriptor, and so is every cache file, source file and log: a server that lets connections
/// take the last descriptors cannot open a cache file or even accept (it spins on `EMFILE`).
public struct OpenFileBudget: Sendable, Equatable {
    /// The soft `RLIMIT_NOFILE` in force.
    public var openFiles: Int
    /// Descriptors kept for everything but public connections: cache and source files, logs,
    /// the admin listener (`ConnectionPolicy.adminMaxConnections`) and refused connections
    /// being closed.
    public var reserved: Int
    /// The public listener's cap.
    public var maxConnections: Int

    /// The highest cap the limit allows.
    public var maximumConnections: Int { max(1, openFiles - reserved) }

    /// - Parameters:
    ///   - openFiles: the soft open-file limit.
    ///   - cacheFiles: cache and source files the maps may hold open.
    ///   - configured: `limits.max_connections`; nil for the default, 75 % of the limit less the reserve.
    /// - Throws: `OpenFileBudgetError` when `configured` leaves fewer than `reserved` descriptors.
    public init(openFiles: Int, cacheFiles: Int, configured: Int?) throws(OpenFileBudgetError) {
        self.openFiles = openFiles
        reserved = 64 + ConnectionPolicy.adminMaxConnections + cacheFiles
        let derived = max(16, openFiles * 3 / 4 - reserved)
        if let configured {
            guard configured <= max(1, openFiles - reserved) else {
                throw OpenFileBudgetError(
                    code: .capAboveLimit,
                    message: "limits.max_connections is \(configured), but the open-file limit (RLIMIT_NOFILE) is \(openFiles) and \(reserved) descriptors are kept for cache files, the admin API and logs: set it to at most \(max(1, openFiles - reserved)), or raise the limit (ulimit -n, LimitNOFILE= in a systemd unit)",
                    context: ["configured": "\(configured)", "open_files": "\(openFiles)", "reserved": "\(reserved)"]
                )
            }
            maxConnections = configured
        } else {
            maxConnections = derived
        }
    }

    /// Raises the soft open-file limit to the hard limit (capped at `ceiling`, since an
    /// unlimited hard limit would make the derived cap meaningless) and returns the soft limit then in force.
    public static func raiseOpenFileLimit(ceiling: Int = 1 << 20) -> Int {
        var limit = rlimit()
        guard getrlimit(noFileResource, &limit) == 0 else { return 1024 }
        let wanted = min(limit.rlim_max, rlim_t(ceiling))
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(noFileResource, &raised) == 0 { return Int(wanted) }
        }
        return Int(min(limit.rlim_cur, rlim_t(ceiling)))
    }
}

#if os(Linux)
private let noFileResource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#else
private let noFileResource = RLIMIT_NOFILE
#endif

/// A connection cap the open-file limit cannot carry.
public struct OpenFileBudgetError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case capAboveLimit
    }

    public var code: Code
    public var message: String
    public var context: [String: String]
    public var description: String { message }
}
