import CairnCache
import Foundation
import Logging
import Synchronization
import Testing
@testable import CairnEngine

/// A cache file's write failures are logged once per interval with a count, not once per metatile.
struct WriteFailureLogTests {
    final class Lines: Sendable {
        let stored = Mutex<[(Logger.Level, String, Logger.Metadata)]>([])
        func logger() -> Logger { Logger(label: "cairn-test") { _ in Handler(lines: self) } }
    }

    struct Handler: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lines.stored.withLock { $0.append((event.level, event.message.description, event.metadata ?? [:])) }
        }
    }

    @Test func aFullDiskIsReportedOncePerIntervalWithItsFreeSpace() throws {
        let lines = Lines()
        let logger = lines.logger()
        let log = WriteFailureLog()
        let path = TestPaths.temporaryFolder() + "/map.mbtiles"
        let failure = CacheWriteError(MBTilesError(.noSpace, path: path, "database or disk is full (SQLite code 13)"), path: path)
        #expect(failure.code == .noSpace)
        let space = try #require(failure.space, "statvfs of the temporary folder")
        #expect(failure.description.contains("free of"))
        for _ in 0..<55 { log.record(failure, "could not cache tiles", metadata: ["map": "mini"], logger: logger) }
        let logged = lines.stored.withLock { $0 }
        #expect(logged.count == 1)
        #expect(logged.first?.1.contains("disk is full") == true)
        #expect(logged.first?.2["file"] == "\(path)")
        #expect(logged.first?.2["free"] == "\(space)")

        log.recordSuccess(path: path, logger: logger)
        log.recordSuccess(path: path, logger: logger)
        let after = lines.stored.withLock { $0 }
        #expect(after.count == 2, "one line when writes recover, none for later successes")
        #expect(after.last?.1.contains("succeed again") == true)
    }

    @Test func otherWriteFailuresAreNotCalledAFullDisk() {
        let failure = CacheWriteError(MBTilesError(.database, path: "/x/y.mbtiles", "attempt to write a readonly database (SQLite code 8)"), path: "/x/y.mbtiles")
        #expect(failure.code == .failed)
        #expect(failure.space == nil)
    }
}
