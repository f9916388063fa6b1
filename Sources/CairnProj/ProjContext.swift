#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CProj

/// Owns one `PJ_CONTEXT`. PROJ contexts (and every object made with them) are not
/// thread-safe, so a context and its objects must stay on one thread; use
/// `forCurrentThread()` to get the calling thread's own context.
public final class ProjContext {
    let handle: OpaquePointer
    /// PROJ reports the detail of a failure ("crs not found", "unexpected end of string")
    /// only through its log; the latest error line is kept here for `ProjError.message`.
    private(set) var lastLogMessage: String?

    /// A fresh context whose PROJ log goes to `lastLogMessage` instead of stderr.
    public init() {
        guard let context = proj_context_create() else {
            fatalError("proj_context_create failed (out of memory)")
        }
        handle = context
        proj_log_level(context, PJ_LOG_ERROR)
        proj_log_func(context, Unmanaged.passUnretained(self).toOpaque()) { appData, _, message in
            guard let appData, let message else { return }
            Unmanaged<ProjContext>.fromOpaque(appData).takeUnretainedValue().lastLogMessage = String(cString: message)
        }
    }

    deinit {
        proj_context_destroy(handle)
    }

    /// The calling thread's context, created on first use and destroyed when the thread exits.
    /// Do not keep it (or objects made with it) across an `await`: the task may resume on another thread.
    public static func forCurrentThread() -> ProjContext {
        let key = threadContextKey
        if let stored = pthread_getspecific(key) {
            return Unmanaged<ProjContext>.fromOpaque(stored).takeUnretainedValue()
        }
        let context = ProjContext()
        pthread_setspecific(key, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    /// Forgets the last logged message, before a call whose failure we may report.
    func clearLog() {
        lastLogMessage = nil
    }

    /// The error PROJ last recorded on this context, described for `crs` and `action`:
    /// PROJ's logged detail when there is one, else the text for its error number, else `fallback`.
    func lastError(crs: String, action: String, fallback: String = "unknown PROJ error") -> ProjError {
        let code = proj_context_errno(handle)
        var message = fallback
        if let logged = lastLogMessage, !logged.isEmpty {
            message = logged
        } else if code != 0, let text = proj_context_errno_string(handle, code) {
            message = String(cString: text)
        }
        return ProjError(errno: code, message: message, crs: crs, action: action)
    }

    /// A short, log-friendly name for a CRS definition: `EPSG:9210`, a PROJ string's first
    /// 60 characters, or the name inside WKT followed by "(WKT)".
    public static func describe(_ definition: String) -> String {
        let trimmed = definition.trimmingWhitespace()
        if let open = trimmed.firstIndex(of: "["),
            trimmed[..<open].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        {
            let body = trimmed[trimmed.index(after: open)...]
            if body.first == "\"" {
                let nameStart = body.index(after: body.startIndex)
                if let close = body[nameStart...].firstIndex(of: "\"") {
                    return "\(body[nameStart..<close]) (WKT)"
                }
            }
        }
        return trimmed.count > 60 ? String(trimmed.prefix(57)) + "..." : trimmed
    }
}

/// One pthread key whose destructor releases the thread's context when the thread exits.
private let threadContextKey: pthread_key_t = {
    var key = pthread_key_t()
    #if canImport(Glibc)
    let status = pthread_key_create(&key) { stored in
        if let stored { Unmanaged<ProjContext>.fromOpaque(stored).release() }
    }
    #else
    let status = pthread_key_create(&key) { stored in
        Unmanaged<ProjContext>.fromOpaque(stored).release()
    }
    #endif
    precondition(status == 0, "pthread_key_create failed: \(status)")
    return key
}()

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
