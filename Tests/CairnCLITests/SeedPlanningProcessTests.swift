import Foundation
import Testing
import CairnTestSupport

/// `cairn seed` processes: a world-sized dry run with its peak RSS, and two seeds of one map at
/// once sharing the work through metatile claims in the cache file.
@Suite(.interop, .serialized)
struct SeedPlanningProcessTests {
    typealias CLI = CommandLineTests

    /// A configuration with the mini map down to z22, its cache in a fresh folder.
    static func configuration(maxZoom: Int = 22) throws -> String {
        let folder = URL(fileURLWithPath: CLI.temporary("cfg")).deletingLastPathComponent().path
        let path = folder + "/cairn.yaml"
        try """
            cache:
              directory: \(folder)/cache
            maps:
              - name: mini
                style: \(CLI.miniStyle)
                metatile: 8
                maxzoom: \(maxZoom)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The 3 GB / 11 s dry run of issue 11, counted instead: the exact world total, in a
    /// process whose peak RSS stays that of an idle cairn (measured with /usr/bin/time -v).
    @Test func worldDryRunAtZoom0To22CountsInConstantMemory() throws {
        let time = "/usr/bin/time"
        try #require(FileManager.default.isExecutableFile(atPath: time), "needs GNU time at /usr/bin/time for the peak RSS")
        let config = try Self.configuration()
        let arguments = ["-v", CLI.binary, "seed", "--config", config, "--map", "mini", "--zoom", "0-22",
                         "--bbox=-20037508.342789244,-20037508.342789244,20037508.342789244,20037508.342789244", "--bbox-crs", "EPSG:3857", "--dry-run"]
        let start = ContinuousClock.now
        let run = try CairnProcess.run(time, arguments)
        let elapsed = ContinuousClock.now - start
        #expect(run.status == 0, "\(run.output)")
        let lines = run.output.split(separator: "\n")
        let total = lines.first { $0.hasPrefix("all ") }.flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
        #expect(total == ((1 << 46) - 1) / 3, "\(run.output)")
        let peak = lines.first { $0.contains("Maximum resident set size") }.flatMap { $0.split(separator: ":").last }
            .flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let kilobytes = try #require(peak, "\(run.output)")
        print("cairn seed --dry-run, world z0-22: \(total ?? 0) tiles in \(elapsed) wall (process start included), peak RSS \(kilobytes / 1024) MiB")
        #expect(kilobytes < 300 * 1024, "the peak of an idle cairn, not of the tile list")
    }

    /// A triangle over much of the world at z0–14: counted along its boundary (about 1.4 × 10⁸
    /// tiles inside, which the old plan listed at 3 GB), in a process whose peak RSS stays flat.
    @Test func worldSizedPolygonDryRunCountsInConstantMemory() throws {
        let time = "/usr/bin/time"
        try #require(FileManager.default.isExecutableFile(atPath: time), "needs GNU time at /usr/bin/time for the peak RSS")
        let config = try Self.configuration()
        let area = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("triangle.geojson").path
        try #"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[-160.3, -70.1], [170.2, -60.7], [10.4, 80.3], [-160.3, -70.1]]]}}]}"#
            .write(toFile: area, atomically: true, encoding: .utf8)
        let start = ContinuousClock.now
        let run = try CairnProcess.run(time, ["-v", CLI.binary, "seed", "--config", config, "--map", "mini", "--zoom", "0-14", "--area", area, "--dry-run"])
        let elapsed = ContinuousClock.now - start
        #expect(run.status == 0, "\(run.output)")
        let lines = run.output.split(separator: "\n")
        let total = lines.first { $0.hasPrefix("all ") }.flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
        #expect((total ?? 0) > 50_000_000, "\(run.output)")
        let peak = lines.first { $0.contains("Maximum resident set size") }.flatMap { $0.split(separator: ":").last }
            .flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let kilobytes = try #require(peak, "\(run.output)")
        print("cairn seed --dry-run, triangle over the world z0-14: \(total ?? 0) tiles in \(elapsed) wall, peak RSS \(kilobytes / 1024) MiB")
        #expect(kilobytes < 300 * 1024, "the peak of an idle cairn, not of the tile list")
    }

    /// Two `cairn seed` processes started together over one map and area: each metatile is
    /// rendered by one of them; both end with every tile cached (the other's count as cached).
    @Test func twoConcurrentSeedsRenderEachMetatileOnce() throws {
        let config = try Self.configuration(maxZoom: 20)
        let folder = URL(fileURLWithPath: config).deletingLastPathComponent().path
        let arguments = ["seed", "--config", config, "--map", "mini", "--zoom", "10-15", "--metatile", "2",
                         "--workers", "2", "--progress", "json"]
        var processes: [(Process, String)] = []
        for index in 0..<2 {
            let output = folder + "/seed-\(index).jsonl"
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = arguments
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            process.standardOutput = handle
            process.standardError = handle
            processes.append((process, output))
        }
        for (process, _) in processes { try process.run() }
        var summaries: [[String: Any]] = []
        for (process, output) in processes {
            process.waitUntilExit()
            let text = try String(contentsOfFile: output, encoding: .utf8)
            #expect(process.terminationStatus == 0, "\(text)")
            let line = try #require(text.split(separator: "\n").last { $0.contains("\"summary\"") }, "\(text)")
            summaries.append(try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]))
        }
        let totals = summaries.map { $0["total"] as? Int ?? -1 }
        let rendered = summaries.map { $0["rendered"] as? Int ?? -1 }
        let cached = summaries.map { $0["cached"] as? Int ?? -1 }
        print("two concurrent cairn seed processes: total \(totals), rendered \(rendered), cached \(cached)")
        #expect(totals[0] > 100 && totals[0] == totals[1])
        #expect(rendered[0] + rendered[1] == totals[0], "each tile rendered by one of the two")
        for i in 0..<2 {
            #expect(rendered[i] + cached[i] == totals[i])
            #expect(summaries[i]["failed"] as? Int == 0)
        }
        #expect(rendered.allSatisfy { $0 > 0 }, "both worked: the runs overlapped")
    }

    /// A seed killed with kill -9 leaves its claims behind; run again, it takes them over at
    /// once (their owner is a dead process on this machine) instead of waiting out their lease.
    @Test func aKilledSeedsClaimsAreTakenOverAtOnce() throws {
        let config = try Self.configuration(maxZoom: 20)
        let folder = URL(fileURLWithPath: config).deletingLastPathComponent().path
        let arguments = ["seed", "--config", config, "--map", "mini", "--zoom", "10-16", "--metatile", "2",
                         "--workers", "2", "--progress", "json"]
        let output = folder + "/killed.jsonl"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let cache = folder + "/cache/mini.mbtiles"
        // Killed once it has claimed work: claims are in the file.
        let claimed = Wait.untilBlocking(timeout: .seconds(120), interval: .milliseconds(2)) {
            guard FileManager.default.fileExists(atPath: cache) else { return false }
            return ((try? SeedingTests.sqlite(cache, "SELECT count(*) FROM cairn_claims")).flatMap { Int($0) } ?? 0) > 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(claimed, "\(String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: output))) ?? Data(), as: UTF8.self))")
        let left = try SeedingTests.sqlite(cache, "SELECT count(*) FROM cairn_claims")
        let start = ContinuousClock.now
        let again = try CLI.cairn(arguments.map { $0 == "json" ? "none" : $0 })
        let elapsed = ContinuousClock.now - start
        print("a seed killed with \(left) claims left behind resumed and finished in \(elapsed)")
        #expect(again.status == 0, "\(again.output)")
        #expect(elapsed < .seconds(100), "the lease is 150 s; taking over dead claims takes none of it")
        #expect(try SeedingTests.sqlite(cache, "SELECT count(*) FROM cairn_claims") == "0")
    }
}
