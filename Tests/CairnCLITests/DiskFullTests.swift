import Foundation
import Testing
import CairnTestSupport

/// T25: the cache's filesystem fills up (a tmpfs mounted by the test). Seeding stops with a clear
/// message and a non-zero status, failed tiles are found by `--retry-failed`; a server keeps
/// serving, uncached, and caches again once there is room, without a restart; the disk-full line
/// is logged once per interval, not once per metatile.
@Suite(.interop, .tmpfsMountable, .serialized)
struct DiskFullTests {
    typealias CLI = CommandLineTests
    static let demoStyle = CLI.repositoryRoot.appendingPathComponent("styles/hai-phong.json").path
    /// 26 tiles of about 20 KiB (png8) at z14-15 in 8 metatiles of 2×2: about 0.5 MiB, on a 512 KiB disk.
    static let area = ["--zoom", "14-15", "--bbox", "106.66,20.84,106.70,20.87", "--metatile", "2", "--workers", "1"]
    static let diskFullLine = "the tile cache's disk is full"

    @Test func seedingStopsCleanlyAndRetryFailedFinishesTheJob() async throws {
        let disk = try TmpfsMount(kibibytes: 512)
        defer { disk.unmount() }
        let mbtiles = disk.path + "/seed.mbtiles"
        let arguments = ["seed", "--style", Self.demoStyle, "--mbtiles", mbtiles, "--progress", "none"] + Self.area

        let dryRun = try CLI.cairn(arguments + ["--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.output)")
        #expect(!FileManager.default.fileExists(atPath: mbtiles), "--dry-run created the cache file")
        let planned = try #require(dryRun.output.split(separator: "\n").last.flatMap { line in
            line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        })

        let full = try CLI.cairn(arguments.map { $0 == "none" ? "json" : $0 })
        #expect(full.status == 1, "\(full.output)")
        let summary = full.output.split(separator: "\n").first { $0.contains("\"event\":\"summary\"") } ?? ""
        #expect(summary.contains("\"disk_full\":{") && summary.contains("\"free_bytes\":"), "\(full.output)")
        let message = try #require(full.output.split(separator: "\n").first { $0.hasPrefix("error: seeding stopped") }, "\(full.output)")
        #expect(message.contains(mbtiles) && message.contains("free of 512 KiB"), "\(message)")
        #expect(message.contains("tiles stored") && message.contains("failed") && message.contains("--retry-failed"), "\(message)")
        // One line for the whole run (shorter than the 30 s interval), not one per metatile.
        let reports = full.output.split(separator: "\n").filter { $0.contains(Self.diskFullLine) }
        #expect(reports.count == 1, "\(full.output)")
        #expect(!full.output.contains("seeding failed"), "\(full.output)")
        #expect(!FileManager.default.fileExists(atPath: mbtiles + "-reserve"), "the reserve is left behind")
        let failed = Int(try SeedingTests.sqlite(mbtiles, "SELECT count(*) FROM cairn_failures")) ?? 0
        let stored = Int(try SeedingTests.sqlite(mbtiles, "SELECT count(*) FROM map")) ?? 0
        #expect(failed > 0, "the failed tiles were not recorded: \(full.output)")
        #expect(stored > 0 && stored + failed < planned, "stored \(stored), failed \(failed) of \(planned): it went on rendering")
        #expect(message.contains("\(stored) tiles stored, \(failed) failed"), "\(message)")
        #expect(try SeedingTests.sqlite(mbtiles, "PRAGMA integrity_check") == "ok")

        // Room again: --retry-failed renders exactly the failed tiles, a plain rerun the rest.
        try disk.resize(kibibytes: 8192)
        let retry = try CLI.cairn(arguments + ["--retry-failed"])
        #expect(retry.status == 0, "\(retry.output)")
        #expect(retry.output.contains("seeded \(failed) tiles: \(failed) rendered"), "\(retry.output)")
        #expect(try SeedingTests.sqlite(mbtiles, "SELECT count(*) FROM cairn_failures") == "0")
        let rest = try CLI.cairn(arguments)
        #expect(rest.status == 0, "\(rest.output)")
        #expect(try SeedingTests.sqlite(mbtiles, "SELECT count(*) FROM map") == "\(planned)")
        #expect(try SeedingTests.sqlite(mbtiles, "PRAGMA integrity_check") == "ok")
    }

    @Test func aServerOnAFullDiskServesUncachedAndCachesAgainAfterARemount() async throws {
        let disk = try TmpfsMount(kibibytes: 1024)
        defer { disk.unmount() }
        let folder = CLI.temporary("full-serve")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/cache", withDestinationPath: disk.path)
        let port = 22_000 + Int.random(in: 0..<2000)
        let server = try await startServer(folder: folder, port: port, mapLines: "  - name: demo\n    style: \(Self.demoStyle)\n    metatile: 2\n")
        defer { if server.isRunning { server.terminate() } }
        func tile(_ x: Int, _ y: Int) -> String { "http://127.0.0.1:\(port)/maps/demo/15/\(x)/\(y).png" }
        let log = folder + "/server.log"
        func reports() -> Int {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.contains(Self.diskFullLine) }.count
        }

        let warm = tile(26094, 14442)
        #expect(cacheHeader(warm) == "200 MISS")
        // The cold answer comes before the rest of its metatile is stored (a request meanwhile joins that render).
        #expect(await Wait.until(timeout: .seconds(60), interval: .milliseconds(50)) { cacheHeader(warm) == "200 HIT" })
        disk.fill()

        // Cold tiles of other metatiles: rendered and answered, not cached; one log line for them all.
        let cold = (0..<4).map { tile(26096 + 2 * $0, 14444) }
        for url in cold { #expect(cacheHeader(url) == "200 MISS") }
        for url in cold { #expect(cacheHeader(url) == "200 MISS", "cached on a full disk") }
        #expect(cacheHeader(warm) == "200 HIT", "the cached tile is still served")
        #expect(reports() == 1, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")

        // More room, no restart: the next render of a cold tile is stored.
        try disk.resize(kibibytes: 8192)
        let cached = await Wait.until(timeout: .seconds(60), interval: .milliseconds(100)) {
            _ = cacheHeader(cold[0])
            return cacheHeader(cold[0]) == "200 HIT"
        }
        #expect(cached, "no tile was cached after the remount")
        #expect(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("tile cache writes succeed again"))
        server.terminate()
        server.waitUntilExit()
        #expect(try SeedingTests.sqlite(disk.path + "/demo.mbtiles", "PRAGMA integrity_check") == "ok")
    }

    @Test func aCacheThatCannotBeOpenedIsNamedWithTheReason() throws {
        let disk = try TmpfsMount(kibibytes: 1024)
        defer { disk.unmount() }
        let base = ["seed", "--style", Self.demoStyle, "--zoom", "14", "--bbox", "106.66,20.84,106.70,20.87", "--progress", "none"]
        func error(_ file: String) throws -> String {
            let run = try CLI.cairn(base + ["--mbtiles", disk.path + "/" + file])
            #expect(run.status == 1, "\(run.output)")
            return run.output.split(separator: "\n").first { $0.hasPrefix("error: cannot open the tile cache: \(disk.path)/\(file): ") }.map(String.init) ?? run.output
        }
        let png = CLI.repositoryRoot.appendingPathComponent("Tests/CairnCacheTests/Fixtures/tile_10_815_451.png").path
        try FileManager.default.copyItem(atPath: png, toPath: disk.path + "/png.mbtiles")
        #expect(try error("png.mbtiles").contains(": not an SQLite file"))

        let filler = disk.fill()
        let full = try error("full.mbtiles")
        #expect(full.contains(": no space left on its disk (") && full.contains("free of 1.0 MiB"), "\(full)")
        try FileManager.default.removeItem(atPath: filler)

        let made = try CLI.cairn(base + ["--mbtiles", disk.path + "/made.mbtiles"])
        #expect(made.status == 0, "\(made.output)")
        try disk.remount(options: "ro")
        #expect(try error("made.mbtiles").contains(": the file is read-only (Read-only file system)"))
    }

    /// "STATUS X-Cairn-Cache" of a GET.
    func cacheHeader(_ url: String) -> String {
        let result = try? runProgram("/usr/bin/curl", ["-s", "-o", "/dev/null", "-D", "-", "--max-time", "60", url])
        let lines = (result?.output ?? "").split(separator: "\r\n")
        let status = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "0"
        let cache = lines.first { $0.lowercased().hasPrefix("x-cairn-cache:") }?.split(separator: ":").last?
            .trimmingCharacters(in: .whitespaces) ?? "-"
        return "\(status) \(cache)"
    }
}
