import CairnTestSupport
import Foundation
import Synchronization
import Testing

/// Issue 16, item 1, against a real `cairn serve` under load: each instance's MBTiles is only a
/// local cache that may be deleted at any time. Deleting the file with its `-wal` and `-shm`, the
/// whole cache folder, or only the log files while clients keep asking must cost no error and no
/// wrong tile; a new file is made at the path, and the deleted files are closed (their disk space
/// freed), also the file of a map no request comes for.
@Suite(.interop, .serialized)
struct CacheDeletionUnderLoadTests {
    typealias Faults = CacheFaultTests

    /// Clients on threads of their own asking for `tiles` round and round; every answer must be a
    /// 200 with an intact PNG, the same image (ETag) as before any deletion.
    final class Load: Sendable {
        private struct Tally { var answered = 0; var failures: [String] = []; var stopped = false }
        private let tally = Mutex(Tally())
        private let finished = DispatchGroup()

        init(_ server: SecurityServer, expected: [String: String], clients: Int) {
            for client in 0..<clients {
                finished.enter()
                Thread.detachNewThread { [self] in
                    defer { finished.leave() }
                    var index = client * 7
                    while !tally.withLock({ $0.stopped }) {
                        let tile = Faults.tiles[index % Faults.tiles.count]
                        index += 1
                        let key = "\(tile.x)/\(tile.y)"
                        let problem: String?
                        do {
                            let reply = try server.request("/maps/mini/13/\(key).png")
                            if reply.status != 200 {
                                problem = "\(key): \(reply.status) \(reply.text.prefix(200))"
                            } else if !Faults.isIntactPNG(reply.body) {
                                problem = "\(key): not an intact PNG (\(reply.body.count) bytes)"
                            } else if reply.header("etag") != expected[key] {
                                problem = "\(key): ETag \(reply.header("etag") ?? "none"), expected \(expected[key] ?? "?") (\(reply.header("x-cairn-cache") ?? ""))"
                            } else {
                                problem = nil
                            }
                        } catch {
                            problem = "\(key): \(error)"
                        }
                        tally.withLock { tally in
                            tally.answered += 1
                            if let problem { tally.failures.append(problem) }
                        }
                    }
                }
            }
        }

        var answered: Int { tally.withLock { $0.answered } }
        var failures: [String] { tally.withLock { $0.failures } }

        /// Waits until the clients got `more` answers beyond those counted now.
        func waitForAnswers(_ more: Int) async -> Bool {
            let target = answered + more
            return await Wait.until(timeout: .seconds(60), interval: .milliseconds(20)) { self.answered >= target }
        }

        func stop() {
            tally.withLock { $0.stopped = true }
            finished.wait()
        }
    }

    /// What `/proc/PID/fd` shows open that is a deleted cache file (or its log).
    static func deletedCacheFiles(of pid: Int32) -> [String] {
        let folder = "/proc/\(pid)/fd"
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return descriptors.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + $0) }
            .filter { $0.contains(".mbtiles") && $0.hasSuffix("(deleted)") }
    }

    static func occurrences(of text: String, in log: String) -> Int { log.components(separatedBy: text).count - 1 }

    @Test func deletingTheCacheUnderLoadCostsNoErrorAndFreesTheDeletedFiles() async throws {
        let server = try await Faults.start("t16-delete-under-load")
        defer { server.stop() }
        let pid = server.process.processIdentifier
        var expected: [String: String] = [:]
        for tile in Faults.tiles {
            let reply = try await Faults.offPool { try server.request("/maps/mini/13/\(tile.x)/\(tile.y).png") }
            #expect(reply.status == 200)
            expected["\(tile.x)/\(tile.y)"] = reply.header("etag")
        }
        // The other map's file is opened now, and then no request comes for it.
        try await Faults.expectIntactTiles(server, map: "other", [Faults.tiles[0]])
        let cache = server.folder + "/cache"
        let mini = cache + "/mini.mbtiles"
        #expect(FileManager.default.fileExists(atPath: mini + "-wal") && FileManager.default.fileExists(atPath: mini + "-shm"))

        let load = Load(server, expected: expected, clients: 3)
        defer { load.stop() }
        #expect(await load.waitForAnswers(30))

        // 1. The file with its -wal and -shm.
        for suffix in ["", "-wal", "-shm"] { #expect(unlink(mini + suffix) == 0) }
        let recreated = await Wait.until(timeout: .seconds(30), interval: .milliseconds(20)) {
            Self.occurrences(of: "the file was deleted", in: server.log) >= 1 && FileManager.default.fileExists(atPath: mini)
        }
        #expect(recreated, "\(server.log.suffix(2000))")
        #expect(await load.waitForAnswers(60))

        // 2. The whole cache folder.
        let noticedBefore = Self.occurrences(of: "the file was deleted", in: server.log)
        try FileManager.default.removeItem(atPath: cache)
        let remade = await Wait.until(timeout: .seconds(30), interval: .milliseconds(20)) {
            Self.occurrences(of: "the file was deleted", in: server.log) > noticedBefore && FileManager.default.fileExists(atPath: mini)
        }
        #expect(remade, "\(server.log.suffix(2000))")
        #expect(await load.waitForAnswers(60))

        // 3. Only the log files: the file is discarded whole and made again.
        #expect(await Wait.until(timeout: .seconds(10)) { FileManager.default.fileExists(atPath: mini + "-wal") })
        for suffix in ["-wal", "-shm"] { unlink(mini + suffix) }
        let discarded = await Wait.until(timeout: .seconds(30), interval: .milliseconds(20)) {
            server.log.contains("the file is discarded") && FileManager.default.fileExists(atPath: mini + "-wal")
        }
        #expect(discarded, "\(server.log.suffix(2000))")
        // Forty answers per client: each has asked for every tile since, so the new file holds them all.
        #expect(await load.waitForAnswers(120))
        load.stop()

        let failures = load.failures
        #expect(failures.isEmpty, "\(failures.count) of \(load.answered) answers were wrong: \(failures.prefix(10))")
        #expect(load.answered >= 200)
        // Every deleted file is closed, the idle map's too (the watch, not a request, lets go of it).
        let released = await Wait.until(timeout: .seconds(30), interval: .milliseconds(100)) { Self.deletedCacheFiles(of: pid).isEmpty }
        #expect(released, "still open: \(Self.deletedCacheFiles(of: pid))")
        #expect(server.log.contains("other.mbtiles") && Self.occurrences(of: "cache file changed under the server", in: server.log) >= 4,
                "\(server.log.suffix(3000))")
        // The new file holds what the clients asked for since: every tile is a hit, the same image.
        let caches = try await Faults.expectIntactTiles(server)
        #expect(caches.allSatisfy { $0 == "HIT" }, "\(caches)")
        #expect(try await Faults.overallStatus(server) == "ok")
        try await Faults.expectOtherMapUnaffected(server)
    }
}
