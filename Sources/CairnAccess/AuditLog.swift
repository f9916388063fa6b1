import Foundation

/// Access to internal maps as JSON lines (`{"time":…,"principal":…,"map":…,"tile":…,"status":…,"ms":…}`),
/// appended to one file by one writer. No secret is ever written: principals are key ids or
/// token subjects, and the request target is redacted.
public final class AuditLog: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    public let path: String

    public init(path: String) throws(AccessError) {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw AccessError(.configuration, "audit_log \(path): cannot create the file")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw AccessError(.configuration, "audit_log \(path): cannot open the file for appending")
        }
        self.handle = handle
        _ = try? handle.seekToEnd()
    }

    deinit { try? handle.close() }

    public struct Entry: Encodable, Sendable {
        public var time: String
        /// `key:<id>`, `jwt:<subject>`, `embed:<id>` or `anonymous`.
        public var principal: String
        public var map: String
        /// `z/x/y` for tile requests, else the (redacted) path.
        public var tile: String?
        public var path: String
        public var status: Int
        public var ms: Double

        public init(time: Date, principal: String, map: String, tile: String?, path: String, status: Int, ms: Double) {
            self.time = AuditLog.timestamp(time)
            self.principal = principal
            self.map = map
            self.tile = tile
            self.path = SecretRedaction.redact(url: path)
            self.status = status
            self.ms = (ms * 100).rounded() / 100
        }
    }

    public func write(_ entry: Entry) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(entry) else { return }
        line.append(0x0A)
        lock.withLock {
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: line)
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
