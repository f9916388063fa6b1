import CairnCache
import Foundation
import Logging
import CairnTestSupport
import Testing
@testable import CairnEngine

/// A cache file's write failures are logged once per interval with a count, not once per metatile.
struct WriteFailureLogTests {
    @Test func aFullDiskIsReportedOncePerIntervalWithItsFreeSpace() throws {
        let lines = CapturedLog()
        let logger = lines.logger()
        let log = WriteFailureLog()
        let path = TestPaths.temporaryFolder() + "/map.mbtiles"
        let failure = CacheWriteError(MBTilesError(.noSpace, path: path, "database or disk is full (SQLite code 13)"), path: path)
        #expect(failure.code == .noSpace)
        let space = try #require(failure.space, "statvfs of the temporary folder")
        #expect(failure.description.contains("free of"))
        for _ in 0..<55 { log.record(failure, "could not cache tiles", metadata: ["map": "mini"], logger: logger) }
        let logged = lines.entries
        #expect(logged.count == 1)
        #expect(logged.first?.message.contains("disk is full") == true)
        #expect(logged.first?.metadata["file"] == "\(path)")
        #expect(logged.first?.metadata["free"] == "\(space)")

        log.recordSuccess(path: path, logger: logger)
        log.recordSuccess(path: path, logger: logger)
        let after = lines.entries
        #expect(after.count == 2, "one line when writes recover, none for later successes")
        #expect(after.last?.message.contains("succeed again") == true)
    }

    @Test func otherWriteFailuresAreNotCalledAFullDisk() {
        let failure = CacheWriteError(MBTilesError(.database, path: "/x/y.mbtiles", "attempt to write a readonly database (SQLite code 8)"), path: "/x/y.mbtiles")
        #expect(failure.code == .failed)
        #expect(failure.space == nil)
    }
}
