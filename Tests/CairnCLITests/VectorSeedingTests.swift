import CairnVectorTile
import CairnZlib
import Foundation
import Testing
import CairnTestSupport

/// `cairn seed --format pbf` and `cairn expire` on the demo map's vector tile cache, with the
/// real binary, the server answering from what the seeder stored.
@Suite(.serialized)
struct VectorSeedingTests {
    typealias CLI = CommandLineTests
    typealias Seeding = SeedingTests
    static let demoStyle = CLI.repositoryRoot.appendingPathComponent("styles/hai-phong.json").path
    static let mapLines = "  - name: hai-phong\n    style: \(demoStyle)\n"

    /// A folder with a `cairn.yaml` serving the demo map on `port`, its cache in `folder/cache`.
    static func configuration(port: Int) throws -> (folder: String, config: String) {
        let folder = CLI.temporary("vector")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = folder + "/cairn.yaml"
        // The same text startServer writes, so seeder and server see the same map version.
        try ("listen: {host: 127.0.0.1, port: \(port)}\ncache: {directory: cache}\nmaps:\n" + mapLines)
            .write(toFile: config, atomically: true, encoding: .utf8)
        return (folder, config)
    }

    /// The total of a dry run's last line ("all  N  M").
    static func dryRunTotal(_ output: String) -> Int? {
        output.split(separator: "\n").last.flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
    }

    static func summary(_ output: String) throws -> [String: Any] {
        let line = try #require(output.split(separator: "\n").last { $0.contains("\"summary\"") })
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// Every stored tile as XYZ "z/x/y" → its gzipped bytes.
    static func storedTiles(_ mbtiles: String) throws -> [String: [UInt8]] {
        let text = try Seeding.sqlite(mbtiles, "SELECT zoom_level, tile_column, (1 << zoom_level) - 1 - tile_row, hex(tile_data) FROM tiles")
        var tiles: [String: [UInt8]] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 4 else { continue }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(parts[3].utf8.count / 2)
            var index = parts[3].startIndex
            while index < parts[3].endIndex {
                let next = parts[3].index(index, offsetBy: 2)
                bytes.append(UInt8(parts[3][index..<next], radix: 16) ?? 0)
                index = next
            }
            tiles["\(parts[0])/\(parts[1])/\(parts[2])"] = bytes
        }
        return tiles
    }

    @Test(.interop) func seededVectorTilesAreServedAsHitsAndStaleOnesReEncoded() async throws {
        let port = 22_000 + Int.random(in: 0..<2000)
        let (folder, config) = try Self.configuration(port: port)
        let seed = ["seed", "--config", config, "--map", "hai-phong", "--zoom", "12-14", "--bbox", Seeding.bbox, "--format", "pbf"]
        let mbtiles = folder + "/cache/hai-phong.pbf.mbtiles"

        let dryRun = try CLI.cairn(seed + ["--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.output)")
        #expect(dryRun.output.contains("zoom  tiles    batches"), "\(dryRun.output)")
        let expected = try #require(Self.dryRunTotal(dryRun.output), "\(dryRun.output)")
        // 2x2 tiles at z12, 3x3 at z13 and 5x4 at z14 (the slippy-map formula).
        #expect(expected == 33, "\(dryRun.output)")

        let first = try CLI.cairn(seed + ["--progress", "json"])
        #expect(first.status == 0, "\(first.output)")
        let summary = try Self.summary(first.output)
        #expect(summary["format"] as? String == "pbf")
        #expect(summary["rendered"] as? Int == expected)
        #expect(summary["failed"] as? Int == 0)
        #expect(try Seeding.sqlite(mbtiles, "SELECT count(*) FROM map") == "\(expected)")
        #expect(try Seeding.sqlite(mbtiles, "SELECT value FROM metadata WHERE name = 'format'") == "pbf")
        // No PNG was rendered for a pbf seed.
        let png = folder + "/cache/hai-phong.mbtiles"
        if FileManager.default.fileExists(atPath: png) {
            #expect(try Seeding.sqlite(png, "SELECT count(*) FROM map") == "0")
        }

        let stored = try Self.storedTiles(mbtiles)
        #expect(stored.count == expected)
        var withFeatures = 0
        for (tile, gzipped) in stored {
            #expect(Zlib.isGzip(gzipped), "\(tile) is not gzipped")
            let decoded = try VectorTileDecoder.decode(try Zlib.decompress(gzipped))
            if decoded.layers.contains(where: { !$0.features.isEmpty }) { withFeatures += 1 }
        }
        #expect(withFeatures > expected / 2, "only \(withFeatures) of \(expected) tiles carry features")

        // The server answers every seeded tile from the cache, byte for byte, encoding nothing.
        let before = try Seeding.committedTiles(mbtiles)
        let server = try await startServer(folder: folder, port: port, mapLines: Self.mapLines)
        defer { if server.isRunning { server.terminate() } }
        for (tile, gzipped) in stored.sorted(by: { $0.key < $1.key }) {
            let body = folder + "/served.pbf"
            let headers = try runProgram("/usr/bin/curl", ["-s", "-D", "-", "-o", body, "--max-time", "20",
                                                           "http://127.0.0.1:\(port)/maps/hai-phong/\(tile).pbf"]).output
            #expect(headers.hasPrefix("HTTP/1.1 200"), "\(tile): \(headers)")
            #expect(headers.lowercased().contains("x-cairn-cache: hit"), "\(tile): \(headers)")
            let served = try [UInt8](Data(contentsOf: URL(fileURLWithPath: body)))
            let plain = try Zlib.decompress(gzipped)
            #expect(served == plain, "\(tile) differs from the stored tile")
        }
        server.terminate()
        server.waitUntilExit()
        #expect(try Seeding.committedTiles(mbtiles) == before, "the server wrote tiles")

        // Expiry reaches the vector tiles whatever --scale says: a z13 tile expands to its z12
        // parent and four z14 children.
        let list = folder + "/expired.txt"
        try "13/6523/3610\n".write(toFile: list, atomically: true, encoding: .utf8)
        let expire = try CLI.cairn(["expire", "--config", config, "--map", "hai-phong", "--zoom", "12-14", "--tiles", list, "--scale", "2"])
        #expect(expire.status == 0, "\(expire.output)")
        #expect(expire.output.contains("marked stale 6 cached tiles"), "\(expire.output)")
        let staleRows = try Seeding.sqlite(mbtiles, "SELECT zoom_level || '/' || tile_column || '/' || tile_row FROM map WHERE stale = 1")
        let stale = Set(staleRows.split(separator: "\n").map(String.init))
        #expect(stale.count == 6)

        let again = try CLI.cairn(seed + ["--stale-only", "--progress", "json"])
        #expect(again.status == 0, "\(again.output)")
        let reSeeded = try Self.summary(again.output)
        #expect(reSeeded["total"] as? Int == 6)
        #expect(reSeeded["rendered"] as? Int == 6)
        #expect(try Seeding.sqlite(mbtiles, "SELECT count(*) FROM map WHERE stale = 1") == "0")
        // Exactly the stale tiles were written again.
        let after = try Seeding.committedTiles(mbtiles)
        #expect(after.count == expected)
        let rewritten = Set(after.filter { before[$0.key] != $0.value }.keys)
        #expect(rewritten == stale)

        // --format png only leaves the vector tiles alone; --delete with --format pbf removes them.
        let pngOnly = try CLI.cairn(["expire", "--config", config, "--map", "hai-phong", "--zoom", "14", "--bbox", Seeding.bbox, "--format", "png"])
        #expect(pngOnly.output.contains("marked stale 0 cached tiles"), "\(pngOnly.output)")
        let deleted = try CLI.cairn(["expire", "--config", config, "--map", "hai-phong", "--zoom", "14", "--bbox", Seeding.bbox,
                                     "--format", "pbf", "--delete"])
        #expect(deleted.output.contains("deleted 20 cached tiles"), "\(deleted.output)")
        #expect(try Seeding.sqlite(mbtiles, "SELECT count(*) FROM map") == "\(expected - 20)")
    }

    @Test(.interop) func killedMidSeedThenResumed() throws {
        let (folder, config) = try Self.configuration(port: 1)
        let mbtiles = folder + "/cache/hai-phong.pbf.mbtiles"
        let arguments = ["seed", "--config", config, "--map", "hai-phong", "--zoom", "12-17", "--bbox", "106.62,20.80,106.76,20.90",
                         "--format", "pbf", "--workers", "1", "--progress", "json"]
        let expected = try #require(Self.dryRunTotal(try CLI.cairn(arguments + ["--dry-run"]).output))
        #expect(expected > 500)

        // Killed once the seeder has reported its first committed batch.
        let driver = """
            "$0" "$@" > "$OUT" 2>/dev/null & pid=$!
            for i in $(seq 1 6000); do grep -q '"done":[1-9]' "$OUT" 2>/dev/null && break; kill -0 $pid 2>/dev/null || break; sleep 0.005; done
            if kill -0 $pid 2>/dev/null; then kill -9 $pid; wait $pid 2>/dev/null; echo killed; else wait $pid; echo "exit $?"; fi
            """
        let run = try runProgram("/usr/bin/env", ["OUT=\(folder)/seed.out", "/bin/bash", "-c", driver, CLI.binary] + arguments)
        #expect(run.output.hasPrefix("killed"), "the seed ended before the kill: \(run.output)")
        #expect(try Seeding.sqlite(mbtiles, "PRAGMA integrity_check") == "ok")
        let committed = try Seeding.committedTiles(mbtiles)
        #expect(committed.count > 0 && committed.count < expected, "\(committed.count) of \(expected)")

        let resumed = try CLI.cairn(arguments)
        #expect(resumed.status == 0, "\(resumed.output)")
        let summary = try Self.summary(resumed.output)
        #expect(summary["cached"] as? Int == committed.count)
        #expect(summary["rendered"] as? Int == expected - committed.count)
        #expect(try Seeding.sqlite(mbtiles, "PRAGMA integrity_check") == "ok")
        let final = try Seeding.committedTiles(mbtiles)
        #expect(final.count == expected)
        for (tile, created) in committed { #expect(final[tile] == created, "tile \(tile) was encoded again") }
    }

    @Test func vectorTilesNeedWebMercator() throws {
        let folder = CLI.temporary("vn2000")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = folder + "/cairn.yaml"
        try "cache: {directory: cache}\nmaps:\n  - name: hai-phong\n    style: \(Self.demoStyle)\n    grids: [VN2000HaiPhong]\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let run = try CLI.cairn(["seed", "--config", config, "--zoom", "5-6", "--format", "pbf", "--dry-run"])
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("only made in WebMercatorQuad"), "\(run.output)")
        let bad = try CLI.cairn(["seed", "--config", config, "--zoom", "5-6", "--format", "jpeg"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("expected png, pbf, webp or a list such as png,pbf"), "\(bad.output)")

        // A map whose default grid is VN-2000 but which is also offered in Web Mercator: its vector
        // tiles are seeded and expired in Web Mercator.
        try "cache: {directory: cache}\nmaps:\n  - name: hai-phong\n    style: \(Self.demoStyle)\n    grids: [VN2000HaiPhong, WebMercatorQuad]\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let area = ["--config", config, "--zoom", "12-13", "--bbox", Seeding.bbox]
        let seeded = try CLI.cairn(["seed"] + area + ["--format", "pbf"])
        #expect(seeded.status == 0, "\(seeded.output)")
        #expect(seeded.output.contains("seeded 13 vector tiles: 13 encoded"), "\(seeded.output)")
        let expired = try CLI.cairn(["expire"] + area + ["--format", "pbf"])
        #expect(expired.output.contains("marked stale 13 cached tiles"), "\(expired.output)")

        let scaled = try CLI.cairn(["seed", "--config", config, "--zoom", "5-6", "--format", "pbf", "--scale", "2"])
        #expect(scaled.status != 0)
        #expect(scaled.output.contains("vector tiles (pbf) have no scale"), "\(scaled.output)")
    }

    /// Renders the demo map's 8x8 metatiles at z12–13 with the real binary: under the parallel fast tier on a
    /// small machine those renders exceed the render time budget, so it runs in the interop tier, alone.
    @Test(.interop) func bothFormatsRetryingFailuresAndATimeLimit() throws {
        let port = 1
        let (folder, config) = try Self.configuration(port: port)
        let common = ["--config", config, "--map", "hai-phong", "--zoom", "12-13", "--bbox", Seeding.bbox]

        let dryRun = try CLI.cairn(["seed"] + common + ["--format", "png,pbf", "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.output)")
        #expect(dryRun.output.contains("png:\nzoom  tiles  metatiles"), "\(dryRun.output)")
        #expect(dryRun.output.contains("pbf:\nzoom  tiles    batches"), "\(dryRun.output)")

        let both = try CLI.cairn(["seed"] + common + ["--format", "png,pbf", "--progress", "json"])
        #expect(both.status == 0, "\(both.output)")
        let summaries = both.output.split(separator: "\n").filter { $0.contains("\"summary\"") }
        #expect(summaries.count == 2)
        #expect(summaries.first?.contains("\"format\":\"png\"") == true && summaries.last?.contains("\"format\":\"pbf\"") == true)
        #expect(try Seeding.sqlite(folder + "/cache/hai-phong.pbf.mbtiles", "SELECT count(*) FROM map") == "13")
        #expect(Int(try Seeding.sqlite(folder + "/cache/hai-phong.mbtiles", "SELECT count(*) FROM map")) ?? 0 >= 13)

        // Into a file of its own (--mbtiles), then retrying two recorded failures.
        let mbtiles = CLI.temporary("vector.mbtiles")
        let own = ["seed", "--style", CLI.miniStyle, "--zoom", "12-14", "--bbox", Seeding.bbox, "--format", "pbf",
                   "--mbtiles", mbtiles, "--progress", "json"]
        #expect(try CLI.cairn(own).status == 0)
        #expect(try Seeding.sqlite(mbtiles, "SELECT value FROM metadata WHERE name = 'format'") == "pbf")
        _ = try Seeding.sqlite(mbtiles, """
            DELETE FROM map WHERE zoom_level = 14 AND tile_column IN (13045, 13046) AND tile_row = 9162;
            INSERT INTO cairn_failures (zoom_level, tile_column, tile_row, reason, failed_at) VALUES
              (14, 13045, 9162, 'source error', 0), (14, 13046, 9162, 'source error', 0);
            """)
        let retry = try CLI.cairn(own + ["--retry-failed"])
        #expect(retry.status == 0, "\(retry.output)")
        #expect(try Self.summary(retry.output)["rendered"] as? Int == 2)
        #expect(try Seeding.sqlite(mbtiles, "SELECT count(*) FROM cairn_failures") == "0")

        // A time limit stops the run with exit status 3.
        let limited = try CLI.cairn(["seed"] + common.map { $0 == "12-13" ? "10-17" : $0 }
                                    + ["--format", "pbf", "--workers", "1", "--max-duration", "0.3s", "--progress", "json"])
        #expect(limited.status == 3, "\(limited.output)")
        #expect(try Self.summary(limited.output)["stopped_early"] as? Bool == true)
    }
}
