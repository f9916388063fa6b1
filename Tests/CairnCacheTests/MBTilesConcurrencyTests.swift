import CairnCore
import Foundation
import Testing
@testable import CairnCache
import CairnTestSupport

/// Stores and processes sharing one file must wait for each other, never fail with "database is locked".
struct MBTilesConcurrencyTests {
    typealias Support = MBTilesTestSupport

    @Test func twoStoresWritingFromManyThreads() throws {
        let path = try Support.temporaryFile()
        let stores = [try MBTilesStore(path: path, metadata: Support.metadata),
                      try MBTilesStore(path: path, metadata: Support.metadata)]
        let threads = 8, batches = 20, perBatch = 10
        let failures = FailureLog()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let store = stores[thread % 2]
            for batch in 0..<batches {
                let tiles = (0..<perBatch).map { i in
                    (TileCoordinate(z: 12, x: thread, y: batch * perBatch + i), [UInt8(thread), UInt8(batch)], etag: "\(thread)-\(batch)-\(i)")
                }
                do {
                    try store.store(tiles, fingerprint: "f")
                    _ = try store.tile(tiles[0].0, matching: "f")
                    _ = stores[(thread + 1) % 2].count()
                } catch {
                    failures.append("\(error)")
                }
            }
        }
        #expect(failures.messages.isEmpty)
        #expect(stores[0].count() == threads * batches * perBatch)
        #expect(stores[1].count() == threads * batches * perBatch)
        #expect(try stores[1].tile(TileCoordinate(z: 12, x: 7, y: 199))?.etag == "\"7-19-9\"")
    }

    @Test(.interop) func storesWaitForAnotherProcessHoldingTheWriteLock() throws {
        let path = try Support.temporaryFile()
        let store = try MBTilesStore(path: path, metadata: Support.metadata)
        let marker = (path as NSString).deletingLastPathComponent + "/locked.txt"
        // sqlite3 (script on stdin, since dot-commands only work there) takes the write lock, writes the marker file, then keeps the lock for about
        // half a second with a slow query.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["sqlite3", path]
        let script = """
            .timeout 5000
            BEGIN IMMEDIATE;
            INSERT INTO images (tile_id, tile_data) VALUES ('cli', x'00');
            INSERT INTO map VALUES (3, 0, 0, 'cli', 'f', 0, 0);
            .output \(marker)
            SELECT 'locked';
            .output stdout
            WITH RECURSIVE spin(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM spin WHERE n < 3000000) SELECT count(*) FROM spin;
            COMMIT;

            """
        let input = Pipe()
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        let clock = ContinuousClock()
        Wait.untilBlocking(timeout: .seconds(10)) { (try? String(contentsOfFile: marker, encoding: .utf8))?.contains("locked") == true }
        let waited = try clock.measure {
            try store.store([(TileCoordinate(z: 3, x: 1, y: 1), [1], etag: "swift")], fingerprint: "f")
        }
        #expect(waited > .milliseconds(50))
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 0)
        #expect(store.count() == 2)
    }
}

extension MBTilesConcurrencyTests {
    /// `cairn serve` and `cairn seed` as two processes: the other one holds the write lock for a
    /// second; this store's write waits and succeeds, and its reads never wait at all (WAL).
    @Test(.interop) func writeWaitsForASecondLongLockAndReadsDoNot() throws {
        let path = try Support.temporaryFile()
        let store = try MBTilesStore(path: path, metadata: Support.metadata)
        let before = TileCoordinate(z: 3, x: 5, y: 5)
        try store.store([(before, [5], etag: "before")], fingerprint: "f")
        let marker = (path as NSString).deletingLastPathComponent + "/python-locked.txt"
        let holder = try Support.startPython("hold_lock.py", [path, marker, "1.0"])
        Support.waitForFile(marker)
        let clock = ContinuousClock()
        #expect(try store.tile(before, matching: "f")?.data == [5])
        #expect(try store.existingTiles([before], matching: "f") == [before])
        _ = try store.statistics()
        // The reads answered while the other process still held the write lock (it holds it for a second).
        #expect(holder.isRunning, "the reads returned only after the other process let go of the lock")
        let writeTime = try clock.measure {
            try store.store([(TileCoordinate(z: 3, x: 1, y: 1), [1], etag: "swift")], fingerprint: "f")
            try store.markStale([before])
        }
        #expect(writeTime > .milliseconds(500))
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 0)
        #expect(try store.tile(TileCoordinate(z: 3, x: 0, y: 7))?.data == [1])  // python's TMS row 0
        #expect(store.count() == 3)
        #expect(store.staleCount() == 1)
    }

    /// While this store's own write waits for another process's write lock, serving reads on
    /// the same store still answer at once: they use their own connection and lock.
    @Test(.interop) func servingReadsDoNotWaitBehindAWaitingWrite() throws {
        let path = try Support.temporaryFile()
        let store = try MBTilesStore(path: path, metadata: Support.metadata)
        let before = TileCoordinate(z: 3, x: 5, y: 5)
        try store.store([(before, [5], etag: "before")], fingerprint: "f")
        let marker = (path as NSString).deletingLastPathComponent + "/python-locked.txt"
        let holder = try Support.startPython("hold_lock.py", [path, marker, "1.0"])
        Support.waitForFile(marker)
        let writing = Thread {
            try? store.store([(TileCoordinate(z: 3, x: 1, y: 1), [1], etag: "swift")], fingerprint: "f")
        }
        writing.start()
        Thread.sleep(forTimeInterval: 0.1)
        let clock = ContinuousClock()
        let start = clock.now
        var reads: [[UInt8]?] = []
        for _ in 0..<20 { reads.append(try store.tile(before, matching: "f")?.data) }
        let readTime = clock.now - start
        #expect(reads.allSatisfy { $0 == [5] })
        // Behaviour, not speed: the reads were answered while the write still waited for the lock.
        #expect(!writing.isFinished && holder.isRunning, "reads waited \(readTime) behind the write")
        holder.waitUntilExit()
        Wait.untilBlocking(timeout: .seconds(30)) { writing.isFinished }
        #expect(try store.tile(TileCoordinate(z: 3, x: 1, y: 1), matching: "f")?.data == [1])
    }
}

/// Errors collected from worker threads.
final class FailureLog: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ message: String) {
        lock.lock()
        stored.append(message)
        lock.unlock()
    }

    var messages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
