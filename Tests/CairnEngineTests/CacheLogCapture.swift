import Logging
import Synchronization

/// Log lines kept in memory, for tests that check what an operator is told.
final class CacheLogCapture: Sendable {
    struct Line: Sendable, CustomStringConvertible {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
        var description: String { "\(level) \(message) \(metadata)" }
    }

    private let stored = Mutex<[Line]>([])

    var lines: [Line] { stored.withLock { $0 } }

    /// Lines whose message contains `text`.
    func lines(containing text: String) -> [Line] { lines.filter { $0.message.contains(text) } }

    func logger() -> Logger {
        Logger(label: "cairn-test") { _ in Handler(capture: self) }
    }

    private struct Handler: LogHandler {
        let capture: CacheLogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let line = Line(level: event.level, message: event.message.description,
                            metadata: metadata.merging(event.metadata ?? [:]) { _, new in new })
            capture.stored.withLock { $0.append(line) }
        }
    }
}
