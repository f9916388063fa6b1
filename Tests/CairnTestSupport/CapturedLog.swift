import Logging
import Synchronization

/// Log entries kept in memory, for tests that check what an operator is told.
public final class CapturedLog: Sendable {
    public struct Entry: Sendable, CustomStringConvertible {
        public var level: Logger.Level
        public var message: String
        public var metadata: Logger.Metadata
        public var description: String { "\(level) \(message) \(metadata)" }
    }

    private let stored = Mutex<[Entry]>([])

    public init() {}

    public var entries: [Entry] { stored.withLock { $0 } }
    /// Entries whose message contains `text`.
    public func entries(containing text: String) -> [Entry] { entries.filter { $0.message.contains(text) } }
    public func clear() { stored.withLock { $0.removeAll() } }
    public func append(_ entry: Entry) { stored.withLock { $0.append(entry) } }

    /// A logger writing here, at every level.
    public func logger() -> Logger {
        Logger(label: "cairn-test") { _ in Handler(log: self) }
    }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.append(.init(level: event.level, message: event.message.description,
                             metadata: metadata.merging(event.metadata ?? [:]) { _, new in new }))
        }
    }
}
