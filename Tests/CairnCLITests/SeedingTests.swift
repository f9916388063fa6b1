import Foundation
import Testing
import CairnSQLite
import CairnTestSupport

/// Seeding that survives kill -9 and shares its cache file with a running server.
@Suite(.interop, .serialized)
struct SeedingTests {
    typealias CLI = CommandLineTests
    static let bbox = "106.62,20.83,106.72,20.89"

    /// Rows of `map` as "z/x/y" → created_at.
    static func committedTiles(_ mbtiles: String) throws -> [String: String] {
        let text = try sqlite(mbtiles, "SELECT zoom_level || '/' || tile_column || '/' || tile_row, created_at FROM map")
        var rows: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "|")
            if parts.count == 2 { rows[String(parts[0])] = String(parts[1]) }
        }
        return rows
    }

    /// What the sqlite3 shell prints for `sql` (rows of "|"-joined columns, NULL as empty), read in
    /// process through its own connection, so the fast tier needs no sqlite3 program.
    static func sqlite(_ path: String, _ sql: String) throws -> String {
        let db = try SQLiteConnection(path: path, flags: .readWrite, busyTimeoutMilliseconds: 5000)
        let verb = sql.trimmingCharacters(in: .whitespacesAndNewlines).prefix(6).uppercased()
        guard verb.hasPrefix("SELECT") || verb.hasPrefix("PRAGMA") || verb.hasPrefix("WITH") else {
            try db.execute(sql)
            return ""
        }
        let statement = try db.prepare(sql)
        var rows: [String] = []
        while try statement.step() {
            rows.append((0..<statement.columnCount).map { statement.string($0) ?? "" }.joined(separator: "|"))
        }
        return rows.joined(separator: "\n")
    }

    @Test func killedAtRandomMomentsThenResumed() async throws {
        let mbtiles = CLI.temporary("killed.mbtiles")
        // The demo map, 2x2 metatiles, one worker: dozens of commits to be killed between.
        let demo = CLI.repositoryRoot.appendingPathComponent("styles/hai-phong.json").path
        let arguments = ["seed", "--style", demo, "--zoom", "12-18", "--bbox", "106.66,20.84,106.71,20.87", "--mbtiles", mbtiles,
                         "--workers", "1", "--metatile", "2", "--progress", "json"]
        let dryRun = try CLI.cairn(arguments + ["--dry-run"])
        let expected = try #require(dryRun.output.split(separator: "\n").last.flatMap { line in
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
        })
        #expect(expected > 50, "\(dryRun.output)")

        // A fixed random sequence, so a failure can be replayed. Kills are timed from the seeder's
        // own first progress line (printed once the map is loaded and the work planned), so they
        // land mid-run however loaded the machine is: every third run dies while still loading,
        // the others after 0-100 ms of rendering.
        var generator = SplitMix64(seed: 20_251_125)
        var committed: [String: String] = [:]
        var kills = 0
        var endings: [String] = []
        // The kill is timed by a small shell driver outside this test process, whose own threads
        // may be busy with other tests: it starts the seed, waits for its first progress line
        // (or, every third round, not even that), sleeps, and kills.
        let driver = """
            "$0" "$@" > "$OUT" 2>/dev/null & pid=$!
            if [ "$WAIT_FOR_START" = 1 ]; then
              for i in $(seq 1 3000); do [ -s "$OUT" ] && break; kill -0 $pid 2>/dev/null || break; sleep 0.005; done
            fi
            sleep "$DELAY"
            if kill -0 $pid 2>/dev/null; then kill -9 $pid; wait $pid 2>/dev/null; echo killed; else wait $pid; echo "exit $?: $(tail -c 200 "$OUT")"; fi
            """
        for round in 0..<10 {
            let waitForStart = round % 3 != 0
            let delay = waitForStart ? Double(generator.next() % 100) / 1000 : 0.005 + Double(generator.next() % 60) / 1000
            let run = try runProgram("/usr/bin/env", ["OUT=\(mbtiles).out", "WAIT_FOR_START=\(waitForStart ? 1 : 0)",
                                                      "DELAY=\(delay)", "/bin/bash", "-c", driver, CLI.binary] + arguments)
            if run.output.hasPrefix("killed") { kills += 1 } else { endings.append(run.output) }
            guard FileManager.default.fileExists(atPath: mbtiles) else { continue }
            #expect(try Self.sqlite(mbtiles, "PRAGMA integrity_check") == "ok")
            let now = try Self.committedTiles(mbtiles)
            // Nothing committed before a kill is rendered (and written) again.
            for (tile, created) in committed {
                #expect(now[tile] == created, "tile \(tile) was written again")
            }
            committed = now
        }
        #expect(kills == 10, "only \(kills) of 10 runs were still going when killed: \(endings)")

        let finish = try CLI.cairn(arguments.map { $0 == "json" ? "none" : $0 })
        #expect(finish.status == 0, "\(finish.output)")
        #expect(try Self.sqlite(mbtiles, "PRAGMA integrity_check") == "ok")
        let final = try Self.committedTiles(mbtiles)
        #expect(final.count == expected)
        for (tile, created) in committed { #expect(final[tile] == created, "tile \(tile) was written again") }
        // Every stored tile is a PNG of the right size (IHDR width 256).
        #expect(try Self.sqlite(mbtiles, "SELECT count(*) FROM tiles WHERE substr(tile_data, 1, 8) != x'89504E470D0A1A0A' OR hex(substr(tile_data, 17, 4)) != '00000100'") == "0")
    }

    @Test func serverAndSeederShareOneCacheFile() async throws {
        let folder = CLI.temporary("shared")
        let port = 20_000 + Int.random(in: 0..<2000)
        let config = folder + "/cairn.yaml"
        let serverLog = folder + "/server.log"
        let server = try await startServer(folder: folder, port: port, mapLines: "  - name: mini\n    style: \(CLI.miniStyle)\n    metatile: 2\n")
        defer { if server.isRunning { server.terminate() } }

        // The seeder writes into the server's cache file while clients load tiles.
        let seeder = Process()
        seeder.executableURL = URL(fileURLWithPath: CLI.binary)
        seeder.arguments = ["seed", "--config", config, "--map", "mini", "--zoom", "10-16", "--bbox", Self.bbox, "--progress", "none"]
        let seederOutput = Pipe()
        seeder.standardOutput = seederOutput
        seeder.standardError = seederOutput
        try seeder.run()

        let urls = (0..<6).flatMap { dy in (0..<6).map { dx in "http://127.0.0.1:\(port)/maps/mini/15/\(26090 + dx)/\(14440 + dy).png" } }
        let statuses = await withTaskGroup(of: Int.self) { group in
            for (index, url) in (urls + urls + urls).enumerated() {
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(index * 15))
                    return curlStatus(url)
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let seederText = String(decoding: seederOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        seeder.waitUntilExit()
        #expect(statuses.allSatisfy { $0 == 200 }, "statuses: \(statuses.filter { $0 != 200 })")
        #expect(seeder.terminationStatus == 0, "\(seederText)")
        #expect(!seederText.lowercased().contains("locked"))
        server.terminate()
        server.waitUntilExit()
        let log = (try? String(contentsOfFile: serverLog, encoding: .utf8)) ?? ""
        #expect(!log.lowercased().contains("locked"), "\(log.suffix(500))")
        #expect(!log.contains("could not cache tiles"), "\(log.suffix(500))")
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

