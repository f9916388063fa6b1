import CGDAL

/// GDAL's messages while a closure runs on this thread. GDAL reports through a per-thread handler
/// stack; pushing our own keeps its messages out of stderr and lets errors quote what GDAL said.
public final class GDALErrorLog {
    public struct Message: Sendable {
        public var isFailure: Bool
        /// A CPLDebug note (only emitted for the categories `CPL_DEBUG` names on this thread).
        public var isDebug: Bool = false
        public var text: String
    }

    public private(set) var messages: [Message] = []

    init() {}

    /// The failures GDAL reported, joined; nil when it reported none.
    public var failureText: String? {
        let failures = messages.filter(\.isFailure).map(\.text)
        return failures.isEmpty ? nil : failures.joined(separator: "; ")
    }

    /// The warnings GDAL reported (not failures, not debug notes), in order.
    public var warnings: [String] { messages.filter { !$0.isFailure && !$0.isDebug }.map(\.text) }

    /// The debug notes GDAL wrote, in order.
    public var debugNotes: [String] { messages.filter(\.isDebug).map(\.text) }

    func append(_ level: CPLErr, _ text: String) {
        // Keep the first messages only: a broken file can make GDAL repeat itself per feature.
        guard messages.count < 50 else { return }
        messages.append(Message(isFailure: level.rawValue >= CE_Failure.rawValue, isDebug: level == CE_Debug, text: text))
    }

    /// Runs `body` with GDAL's messages on this thread collected into a fresh log.
    public static func capturing<T>(_ body: (GDALErrorLog) throws -> T) rethrows -> T {
        GDALLibrary.ensureRegistered()
        let log = GDALErrorLog()
        let retained = Unmanaged.passRetained(log)
        CPLPushErrorHandlerEx({ level, _, message in
            guard let data = CPLGetErrorHandlerUserData() else { return }
            let log = Unmanaged<GDALErrorLog>.fromOpaque(data).takeUnretainedValue()
            log.append(level, message.map { String(cString: $0) } ?? "")
        }, retained.toOpaque())
        defer {
            CPLPopErrorHandler()
            retained.release()
        }
        CPLErrorReset()
        return try body(log)
    }
}
