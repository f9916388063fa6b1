import CairnCore
import Foundation
import Testing
@testable import CairnCache
import CairnTestSupport

/// kill -9 of a writing process at any moment leaves a valid file that keeps every committed batch.
@Suite(.interop)
struct MBTilesCrashSafetyTests {
    typealias Support = MBTilesTestSupport

    @Test func killedWriterLeavesAValidFileWithEveryCommittedBatch() throws {
        let path = try Support.temporaryFile()
        let store = try MBTilesStore(path: path, metadata: Support.metadata)
        var generator = SystemRandomNumberGenerator()
        var committedBatches = 0
        for run in 0..<10 {
            // This store keeps writing from two threads while the other process writes and dies.
            let stop = StopFlag()
            let errors = FailureLog()
            let writers = DispatchGroup()
            for thread in 0..<2 {
                DispatchQueue.global().async(group: writers) {
                    var batch = 0
                    while !stop.isSet {
                        let tiles = (0..<8).map { i in
                            (TileCoordinate(z: 15, x: run * 2 + thread, y: batch * 8 + i), i % 2 == 0 ? [0] : [UInt8(i), UInt8(batch % 256)],
                             etag: i % 2 == 0 ? "blank" : "s-\(run)-\(thread)-\(batch)-\(i)")
                        }
                        do { try store.store(tiles, fingerprint: "swift") } catch { errors.append("\(error)") }
                        batch += 1
                    }
                }
            }
            let output = Pipe()
            let child = try Support.startPython("batch_writer.py", [path, String(run)], output: output)
            Thread.sleep(forTimeInterval: Double.random(in: 0.06...0.25, using: &generator))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            stop.set()
            writers.wait()
            #expect(child.terminationReason == .uncaughtSignal)
            #expect(errors.messages.isEmpty)

            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let batches = printed.split(separator: "\n").compactMap { Int($0) }
            committedBatches += batches.count
            #expect(try Support.rows(path, "PRAGMA integrity_check") == ["ok"])
            #expect(try Support.danglingRows(path) == (0, 0))
            // Every batch the killed process saw committed is there: a resumed run would skip it.
            let committed = batches.flatMap { batch in
                (0..<16).map { TileCoordinate(z: 14, x: run, y: (1 << 14) - 1 - (batch * 16 + $0)) }
            }
            #expect(try store.existingTiles(committed, matching: "py").count == committed.count)
            // And this store still reads and writes.
            let probe = TileCoordinate(z: 2, x: 1, y: run % 4)
            try store.store([(probe, [UInt8(run)], etag: "probe-\(run)")], fingerprint: "swift")
            #expect(try store.tile(probe, matching: "swift")?.data == [UInt8(run)])
        }
        // Some runs may die before their first commit, but not all of them.
        #expect(committedBatches > 0)
        let statistics = try store.statistics()
        #expect(statistics.tiles > statistics.images)  // the blank images are shared
    }
}

/// A flag one thread sets and others poll.
final class StopFlag: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
