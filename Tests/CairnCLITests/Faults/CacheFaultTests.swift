import CairnSQLite
import CairnTestSupport
import CairnZlib
import Foundation
import Testing

/// Issue 11, items 2 and 3, against a real `cairn serve`: a cache file that holds damage, cannot be
/// opened, cannot be written, or is deleted or replaced under the server. Each case ends with the
/// server up, the other map unaffected, nothing but intact PNGs served, and the operator's log
/// line and `/health` text checked.
@Suite(.interop, .serialized)
struct CacheFaultTests {
    static let mapLines = """
          - name: mini
            style: \(CommandLineTests.miniStyle)
            metatile: 2
          - name: other
            style: \(CommandLineTests.miniStyle)
            metatile: 2

        """
    /// Around the fixture's data: z13 columns 6520-6525, rows 3607-3612 (36 tiles).
    static let bbox = "106.5245,20.7572,106.7861,21.0014"
    static let tiles: [(x: Int, y: Int)] = (6520...6525).flatMap { x in (3607...3612).map { (x, $0) } }

    /// Seeds `map` at z13 over `bbox` through a configuration identical to the server's (so the
    /// tiles carry the server's fingerprint), into the cache folder or into `mbtiles`.
    static func seed(_ folder: String, map: String = "mini", mbtiles: String? = nil) throws {
        let config = folder + "/seed.yaml"
        try ("cache: {directory: cache}\nmaps:\n" + mapLines).write(toFile: config, atomically: true, encoding: .utf8)
        var arguments = ["seed", "--config", config, "--map", map, "--zoom", "13", "--bbox", bbox, "--progress", "none"]
        if let mbtiles { arguments += ["--mbtiles", mbtiles] }
        let run = try runProgram(CommandLineTests.binary, arguments)
        guard run.status == 0 else { throw InteropError("cairn seed failed: \(run.output)") }
    }

    /// A PNG whose signature, IHDR (256x256) and every chunk's CRC are right, ending in IEND.
    static func isIntactPNG(_ bytes: [UInt8]) -> Bool {
        guard bytes.count > 45, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return false }
        func word(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        guard Array(bytes[12..<16]) == Array("IHDR".utf8), word(16) == 256, word(20) == 256 else { return false }
        var offset = 8
        var last = ""
        while offset + 12 <= bytes.count {
            let length = word(offset)
            guard offset + 12 + length <= bytes.count else { return false }
            guard Zlib.crc32(Array(bytes[(offset + 4)..<(offset + 8 + length)])) == UInt32(word(offset + 8 + length)) else { return false }
            last = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            offset += 12 + length
        }
        return offset == bytes.count && last == "IEND"
    }

    /// Requests `tiles` of `map`; every answer must be 200 with an intact PNG. Returns the X-Cairn-Cache values.
    @discardableResult
    static func expectIntactTiles(_ server: SecurityServer, map: String = "mini", _ tiles: [(x: Int, y: Int)] = tiles,
                                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        var cache: [String] = []
        for tile in tiles {
            let reply = try await offPool { try server.request("/maps/\(map)/13/\(tile.x)/\(tile.y).png") }
            #expect(reply.status == 200, "\(map) 13/\(tile.x)/\(tile.y): \(reply.status) \(reply.text.prefix(200))", sourceLocation: sourceLocation)
            #expect(reply.header("content-type") == "image/png", sourceLocation: sourceLocation)
            #expect(isIntactPNG(reply.body), "\(map) 13/\(tile.x)/\(tile.y) is not an intact PNG (\(reply.body.count) bytes)", sourceLocation: sourceLocation)
            cache.append(reply.header("x-cairn-cache") ?? "")
        }
        return cache
    }

    /// The other map renders, stores and then serves hits; its health entry has no cache problem.
    static func expectOtherMapUnaffected(_ server: SecurityServer, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await expectIntactTiles(server, map: "other", [tiles[0]], sourceLocation: sourceLocation)
        #expect(try await expectIntactTiles(server, map: "other", [tiles[0]], sourceLocation: sourceLocation) == ["HIT"], sourceLocation: sourceLocation)
        let other = try await health(server)["maps"]?["other"]
        #expect(other?["status"] as? String == "ok" && other?["cache"] == nil, "\(String(describing: other))", sourceLocation: sourceLocation)
        #expect(server.process.isRunning, sourceLocation: sourceLocation)
    }

    static func health(_ server: SecurityServer) async throws -> [String: [String: [String: Any]]] {
        let reply = try await offPool { try server.request("/health") }
        #expect(reply.status == 200)
        let object = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any] ?? [:]
        var result: [String: [String: [String: Any]]] = ["": ["": ["status": object["status"] ?? ""]]]
        result["maps"] = object["maps"] as? [String: [String: Any]]
        return result
    }

    static func overallStatus(_ server: SecurityServer) async throws -> String? { try await health(server)[""]?[""]?["status"] as? String }

    static func metrics(_ server: SecurityServer) async throws -> [String: Double] { try await offPool { try server.metrics() } }

    /// Runs blocking work (curl, `cairn seed`) on a thread of its own, not on the cooperative
    /// pool: in-process servers of other suites answer on that pool, and a blocked thread there
    /// would starve them.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    static func start(_ name: String, memoryCache: Bool = true, prepare: @escaping (String) throws -> Void = { _ in }) async throws -> SecurityServer {
        // Render-through renders every request: the per-client render bucket must not be what a test meets.
        // Without the memory cache, every request reads the file (damage made behind the server's back is met).
        try await SecurityServer.start(name, mapLines: mapLines, memoryCache: memoryCache, preamble: """
            limits:
              per_ip: {requests_per_second: 1000, burst: 1000, renders_per_second: 1000, render_burst: 1000}

            """, admin: true, prepare: prepare)
    }

    // MARK: Damage inside a readable file

    @Test func htmlWrittenIntoImagesIsNeverServed() async throws {
        let server = try await Self.start("t11-html", memoryCache: false)
        defer { server.stop() }
        try await Self.expectIntactTiles(server, [Self.tiles[0]])
        #expect(try await Self.expectIntactTiles(server, [Self.tiles[0]]) == ["HIT"])
        // Behind the running server's back.
        let db = try SQLiteConnection(path: server.folder + "/cache/mini.mbtiles", flags: .readWrite, busyTimeoutMilliseconds: 5000)
        try db.execute("UPDATE images SET tile_data = CAST('<html><body>not a tile</body></html>' AS BLOB)")
        #expect(try await Self.expectIntactTiles(server, [Self.tiles[0]]) == ["MISS"])
        #expect(try await Self.expectIntactTiles(server, [Self.tiles[0]]) == ["HIT"])
        #expect(try await Self.metrics(server)["cairn_cache_damaged_tiles_total"] == 1)
        #expect(server.log.contains("damaged tile in the cache: not served, dropped and rendered again"), "\(server.log.suffix(2000))")
        #expect(server.log.contains("CRC-32"))
        // One damaged tile is repaired in passing; the map stays healthy.
        #expect(try await Self.overallStatus(server) == "ok")
        try await Self.expectOtherMapUnaffected(server)
    }

    @Test func randomBytesInTenPagesServeNoBrokenPNG() async throws {
        let server = try await Self.start("t11-pages") { folder in
            try Self.seed(folder)
            let path = folder + "/cache/mini.mbtiles"
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let pages = size / 4096
            guard pages > 12 else { throw InteropError("the seeded file has only \(pages) pages") }
            var random = SystemRandomNumberGenerator()
            var chosen: Set<Int> = []
            while chosen.count < 10 { chosen.insert(Int.random(in: 1..<pages, using: &random)) }
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            for page in chosen {
                try handle.seek(toOffset: UInt64(page * 4096))
                try handle.write(contentsOf: Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }))
            }
            try handle.close()
        }
        defer { server.stop() }
        try await Self.expectIntactTiles(server)
        try await Self.expectIntactTiles(server)
        let metrics = try await Self.metrics(server)
        let damaged = metrics["cairn_cache_damaged_tiles_total"] ?? 0
        let renderThrough = server.log.components(separatedBy: "cache file unusable").count - 1
        #expect(damaged > 0 || renderThrough == 1, "damaged \(damaged), render-through lines \(renderThrough)\n\(server.log.suffix(2000))")
        #expect(renderThrough <= 1)
        if renderThrough == 1 {
            let mini = try await Self.health(server)["maps"]?["mini"]
            #expect(mini?["cache"] as? String == "render-through", "\(String(describing: mini))")
        }
        print("10 random pages: \(Int(damaged)) damaged tiles caught, \(renderThrough) render-through line; 72 intact PNGs served")
        try await Self.expectOtherMapUnaffected(server)
    }

    // MARK: Files that cannot be used

    enum Breakage: String, CaseIterable, CustomTestStringConvertible {
        case truncatedToHalf, pngRenamedToMBTiles, mapTableDropped
        var testDescription: String { rawValue }
    }

    @Test(arguments: Breakage.allCases)
    func anUnusableFileIsServedRenderThrough(_ breakage: Breakage) async throws {
        let server = try await Self.start("t11-\(breakage.rawValue)") { folder in
            try Self.seed(folder)
            let path = folder + "/cache/mini.mbtiles"
            switch breakage {
            case .truncatedToHalf:
                let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                guard truncate(path, off_t(size / 2)) == 0 else { throw InteropError("truncate failed") }
            case .pngRenamedToMBTiles:
                let png = folder + "/tile.png"
                let run = try runProgram(CommandLineTests.binary, ["render", "--style", CommandLineTests.miniStyle, "--tile", "13/6523/3610", "-o", png])
                guard run.status == 0 else { throw InteropError("cairn render failed: \(run.output)") }
                try FileManager.default.removeItem(atPath: path)
                try FileManager.default.moveItem(atPath: png, toPath: path)
            case .mapTableDropped:
                try SQLiteConnection(path: path, flags: .readWrite).execute("DROP TABLE map")
            }
        }
        defer { server.stop() }
        // Reported at start, before any tile is asked for.
        let reported = try await Wait.until(timeout: .seconds(20), interval: .milliseconds(100)) {
            try await Self.overallStatus(server) == "degraded"
        }
        #expect(reported, "\(server.log.suffix(2000))")
        let answers = try await Self.expectIntactTiles(server, Array(Self.tiles.prefix(6)))
        #expect(answers.allSatisfy { $0 == "MISS" })
        let health = try await Self.health(server)
        #expect(try await Self.overallStatus(server) == "degraded")
        let mini = try #require(health["maps"]?["mini"])
        #expect(mini["status"] as? String == "degraded")
        #expect(mini["cache"] as? String == "render-through")
        #expect((mini["cache_reason"] as? String)?.contains("mini.mbtiles") == true, "\(mini)")
        let metrics = try await Self.metrics(server)
        #expect(metrics[#"cairn_cache_files{state="render-through"}"#] == 1)
        let lines = server.log.split(separator: "\n").filter { $0.contains("cache file unusable") }
        #expect(lines.count == 1, "logged once: \(lines)")
        #expect(lines.first?.contains(server.folder + "/cache/mini.mbtiles") == true)
        try await Self.expectOtherMapUnaffected(server)
    }

    /// A cache folder on a read-only filesystem, seeded before: hits served, misses rendered and not stored.
    @Test func aReadOnlyCacheFolderIsServedReadOnly() async throws {
        var mounted: String?
        let server: SecurityServer
        do {
            server = try await Self.start("t11-readonly") { folder in
                let cache = folder + "/cache"
                try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
                let mount = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", cache])
                guard mount.status == 0 else { throw SkipMount(reason: mount.output) }
                mounted = cache
                try Self.seed(folder)
                try Self.seed(folder, map: "other")
                let remount = try runProgram("/bin/mount", ["-o", "remount,ro", cache])
                guard remount.status == 0 else { throw SkipMount(reason: remount.output) }
            }
        } catch let skip as SkipMount {
            if let mounted { _ = try? runProgram("/bin/umount", [mounted]) }
            print("skipped: mounting a tmpfs is not permitted here (\(skip.reason.prefix(200)))")
            return
        }
        defer {
            server.stop()
            if let mounted { _ = try? runProgram("/bin/umount", ["-l", mounted]) }
        }
        #expect(try await Self.expectIntactTiles(server).allSatisfy { $0 == "HIT" })
        // Outside the seeded area: rendered, and not stored (still a miss the second time).
        let outside = [(x: 6530, y: 3620)]
        #expect(try await Self.expectIntactTiles(server, outside) == ["MISS"])
        #expect(try await Self.expectIntactTiles(server, outside) == ["MISS"])
        let mini = try #require(try await Self.health(server)["maps"]?["mini"])
        #expect(mini["cache"] as? String == "read-only")
        #expect(mini["status"] as? String == "ok")
        #expect(server.log.contains("cache file cannot be written; serving its tiles read-only"), "\(server.log.suffix(2000))")
        #expect(try await Self.expectIntactTiles(server, map: "other", [Self.tiles[0]]) == ["HIT"])
        #expect(server.process.isRunning)
    }

    struct SkipMount: Error { var reason: String }

    /// One cache file bind-mounted read-only (as root a chmod would not stop writes): served read-only.
    @Test func aReadOnlyCacheFileIsServedReadOnly() async throws {
        var mounted: String?
        let server: SecurityServer
        do {
            server = try await Self.start("t11-readonly-file") { folder in
                try Self.seed(folder)
                let path = folder + "/cache/mini.mbtiles"
                let bind = try runProgram("/bin/mount", ["--bind", path, path])
                guard bind.status == 0 else { throw SkipMount(reason: bind.output) }
                mounted = path
                let remount = try runProgram("/bin/mount", ["-o", "remount,bind,ro", path])
                guard remount.status == 0 else { throw SkipMount(reason: remount.output) }
            }
        } catch let skip as SkipMount {
            if let mounted { _ = try? runProgram("/bin/umount", [mounted]) }
            print("skipped: bind-mounting a file read-only is not permitted here (\(skip.reason.prefix(200)))")
            return
        }
        defer {
            server.stop()
            if let mounted { _ = try? runProgram("/bin/umount", ["-l", mounted]) }
        }
        #expect(try await Self.expectIntactTiles(server).allSatisfy { $0 == "HIT" })
        let outside = [(x: 6530, y: 3620)]
        #expect(try await Self.expectIntactTiles(server, outside) == ["MISS"])
        #expect(try await Self.expectIntactTiles(server, outside) == ["MISS"])
        let mini = try #require(try await Self.health(server)["maps"]?["mini"])
        #expect(mini["cache"] as? String == "read-only", "\(mini)")
        #expect(try await Self.metrics(server)[#"cairn_cache_files{state="read-only"}"#] == 1)
        #expect(server.log.contains("cache file cannot be written; serving its tiles read-only"), "\(server.log.suffix(2000))")
        try await Self.expectOtherMapUnaffected(server)
    }

    /// A start on a full disk: the file that cannot be created renders through (logged with the
    /// reason), a seeded file is still served; nothing fails.
    @Test func aStartOnAFullDiskServesEveryTile() async throws {
        var mounted: String?
        let server: SecurityServer
        do {
            server = try await Self.start("t11-full") { folder in
                let cache = folder + "/cache"
                try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
                let mount = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", cache])
                guard mount.status == 0 else { throw SkipMount(reason: mount.output) }
                mounted = cache
                try Self.seed(folder, map: "other")
                // Fill what is left.
                let filler = cache + "/filler"
                _ = FileManager.default.createFile(atPath: filler, contents: nil)
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
                let block = Data(count: 64 * 1024)
                while (try? handle.write(contentsOf: block)) != nil {}
                try? handle.close()
            }
        } catch let skip as SkipMount {
            if let mounted { _ = try? runProgram("/bin/umount", [mounted]) }
            print("skipped: mounting a tmpfs is not permitted here (\(skip.reason.prefix(200)))")
            return
        }
        defer {
            server.stop()
            if let mounted { _ = try? runProgram("/bin/umount", ["-l", mounted]) }
        }
        try await Self.expectIntactTiles(server, Array(Self.tiles.prefix(4)))
        #expect(try await Self.expectIntactTiles(server, map: "other", Array(Self.tiles.prefix(4))).allSatisfy { $0 == "HIT" })
        let health = try await Self.health(server)
        let mini = try #require(health["maps"]?["mini"])
        #expect(mini["cache"] as? String == "render-through", "\(mini)")
        // SQLite says "disk I/O error" (it cannot size its shared-memory file) or "database or disk is full".
        #expect((mini["cache_reason"] as? String)?.contains("bytes free on its disk") == true, "\(mini)")
        #expect(try await Self.overallStatus(server) == "degraded")
        let lines = server.log.split(separator: "\n").filter { $0.contains("cache file unusable") && $0.contains("mini.mbtiles") }
        #expect(lines.count == 1, "\(lines)")
        #expect(server.process.isRunning)
    }

    // MARK: Files deleted or replaced under the server

    @Test func aFileDeletedWhileServingIsRecreatedAndThenSeededTilesAreServed() async throws {
        let server = try await Self.start("t11-deleted")
        defer { server.stop() }
        try await Self.expectIntactTiles(server, [Self.tiles[0]])
        let path = server.folder + "/cache/mini.mbtiles"
        try FileManager.default.removeItem(atPath: path)
        let noticed = try await Wait.until(timeout: .seconds(30), interval: .milliseconds(200)) {
            try await Self.expectIntactTiles(server, [Self.tiles[0]])
            return server.log.contains("cache file changed under the server")
        }
        #expect(noticed, "\(server.log.suffix(2000))")
        #expect(server.log.contains("the file was deleted"))
        #expect(FileManager.default.fileExists(atPath: path))
        try await Self.offPool { try Self.seed(server.folder) }
        #expect(try await Self.expectIntactTiles(server).allSatisfy { $0 == "HIT" })
        #expect(try await Self.overallStatus(server) == "ok")
        try await Self.expectOtherMapUnaffected(server)
    }

    @Test func aFileReplacedWithMvServesTheNewFilesTiles() async throws {
        let server = try await Self.start("t11-replaced")
        defer { server.stop() }
        try await Self.expectIntactTiles(server, [Self.tiles[0]])
        let elsewhere = server.folder + "/new.mbtiles"
        try await Self.offPool { try Self.seed(server.folder, mbtiles: elsewhere) }
        #expect(rename(elsewhere, server.folder + "/cache/mini.mbtiles") == 0)
        // Requests for a tile of both files trigger the check (one for a tile only the new file
        // has would render it into the old file first).
        let noticed = try await Wait.until(timeout: .seconds(30), interval: .milliseconds(200)) {
            try await Self.expectIntactTiles(server, [Self.tiles[0]])
            return server.log.contains("cache file changed under the server")
        }
        #expect(noticed, "\(server.log.suffix(2000))")
        #expect(server.log.contains("the file was replaced"))
        #expect(try await Self.expectIntactTiles(server).allSatisfy { $0 == "HIT" })
        #expect(try await Self.overallStatus(server) == "ok")
        try await Self.expectOtherMapUnaffected(server)
    }
}
