import Foundation
import Testing

/// Expiry, stale-only re-seeding, retrying failures, time limits and areas, through the CLI.
struct ExpiryTests {
    typealias CLI = CommandLineTests
    typealias Seeding = SeedingTests

    func seedArguments(_ mbtiles: String, zoom: String = "12-14", extra: [String] = []) -> [String] {
        ["seed", "--style", CLI.miniStyle, "--zoom", zoom, "--bbox", SeedingTests.bbox, "--mbtiles", mbtiles, "--progress", "json"] + extra
    }

    /// The final JSON summary line of a seed run.
    func summary(_ output: String) throws -> [String: Any] {
        let line = try #require(output.split(separator: "\n").last { $0.contains("\"summary\"") })
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func expiredTilesAreReRenderedByStaleOnlySeeding() throws {
        let folder = CLI.temporary("expire")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = folder + "/cairn.yaml"
        try "cache: {directory: cache}\nmaps:\n  - name: mini\n    style: \(CLI.miniStyle)\n    metatile: 2\n    scales: [1]\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let seed = ["seed", "--config", config, "--map", "mini", "--zoom", "12-14", "--bbox", SeedingTests.bbox, "--progress", "json"]
        let first = try CLI.cairn(seed)
        #expect(first.status == 0, "\(first.output)")
        let total = try summary(first.output)["total"] as? Int ?? 0

        // A z13 tile from an expire list (mod_tile / osm2pgsql format) expands to its z12 parent
        // and its four z14 children.
        let list = folder + "/expired.txt"
        try "# expired by an import\n13/6523/3610\n".write(toFile: list, atomically: true, encoding: .utf8)
        let expire = try CLI.cairn(["expire", "--config", config, "--map", "mini", "--zoom", "12-14", "--tiles", list])
        #expect(expire.status == 0, "\(expire.output)")
        #expect(expire.output.contains("marked stale 6 cached tiles"), "\(expire.output)")
        let mbtiles = folder + "/cache/mini.mbtiles"
        #expect(try Seeding.sqlite(mbtiles, "SELECT count(*) FROM map WHERE stale = 1") == "6")

        let stale = try CLI.cairn(seed + ["--stale-only"])
        #expect(stale.status == 0, "\(stale.output)")
        #expect(try summary(stale.output)["rendered"] as? Int == 6)
        #expect(try Seeding.sqlite(mbtiles, "SELECT count(*) FROM map WHERE stale = 1") == "0")
        #expect(total > 0)

        // A bbox expiry in VN-2000 coordinates, with --delete.
        let deleted = try CLI.cairn(["expire", "--config", config, "--map", "mini", "--zoom", "14-14",
                                     "--bbox", "597000,2303000,600000,2306000", "--bbox-crs", "EPSG:9210", "--delete"])
        #expect(deleted.status == 0, "\(deleted.output)")
        #expect(deleted.output.hasPrefix("deleted "))
        #expect(!deleted.output.hasPrefix("deleted 0 "), "\(deleted.output)")
    }

    @Test func aBadExpireListNamesTheLine() throws {
        let list = CLI.temporary("bad.txt")
        try "14/1/1\nfourteen/1/1\n".write(toFile: list, atomically: true, encoding: .utf8)
        let run = try CLI.cairn(["expire", "--style", CLI.miniStyle, "--zoom", "10-14", "--tiles", list])
        #expect(run.status != 0)
        #expect(run.output.contains("bad.txt:2: expected z/x/y, got \"fourteen/1/1\""), "\(run.output)")
    }

    @Test func retryFailedRendersExactlyTheRecordedFailures() throws {
        let mbtiles = CLI.temporary("retry.mbtiles")
        #expect(try CLI.cairn(seedArguments(mbtiles)).status == 0)
        // Simulate two tiles that failed in an earlier run: gone from the cache, recorded as failed.
        _ = try Seeding.sqlite(mbtiles, """
            DELETE FROM map WHERE zoom_level = 14 AND tile_column IN (13045, 13046) AND tile_row = 9162;
            INSERT INTO cairn_failures (zoom_level, tile_column, tile_row, reason, failed_at) VALUES
              (14, 13045, 9162, 'source error', 0), (14, 13046, 9162, 'source error', 0);
            """)
        let retry = try CLI.cairn(seedArguments(mbtiles, extra: ["--retry-failed"]))
        #expect(retry.status == 0, "\(retry.output)")
        #expect(try summary(retry.output)["rendered"] as? Int == 2)
        #expect(try Seeding.sqlite(mbtiles, "SELECT count(*) FROM cairn_failures") == "0")
    }

    @Test func aTimeLimitStopsEarlyAndTheNextRunContinues() throws {
        let mbtiles = CLI.temporary("limited.mbtiles")
        let arguments = seedArguments(mbtiles, zoom: "10-17", extra: ["--workers", "1", "--metatile", "1"])
        let limited = try CLI.cairn(arguments + ["--max-duration", "0.3s"])
        #expect(limited.status == 3, "\(limited.output)")
        #expect(try summary(limited.output)["stopped_early"] as? Bool == true)
        let rest = try CLI.cairn(arguments)
        #expect(rest.status == 0, "\(rest.output)")
        let last = try summary(rest.output)
        #expect((last["cached"] as? Int ?? 0) > 0)
        #expect(last["done"] as? Int == last["total"] as? Int)
    }

    @Test func dryRunCountsTilesPerZoomAndAreasNarrowIt() throws {
        let mbtiles = CLI.temporary("dry.mbtiles")
        let box = try CLI.cairn(["seed", "--style", CLI.miniStyle, "--zoom", "12-16", "--bbox", "106.60,20.80,106.90,21.00",
                                 "--mbtiles", mbtiles, "--dry-run"])
        #expect(box.status == 0, "\(box.output)")
        #expect(box.output.contains("zoom  tiles  metatiles"))
        let stored = FileManager.default.fileExists(atPath: mbtiles) ? try Seeding.sqlite(mbtiles, "SELECT count(*) FROM map") : "0"
        #expect(stored == "0")
        // The districts polygon file (EPSG:4326 GeoJSON) as the area: fewer tiles than its bbox.
        let districts = CLI.repositoryRoot.appendingPathComponent("data/hp_districts.geojson").path
        let polygons = try CLI.cairn(["seed", "--style", CLI.miniStyle, "--zoom", "12-16", "--area", districts, "--mbtiles", mbtiles, "--dry-run"])
        let bboxOfDistricts = try CLI.cairn(["seed", "--style", CLI.miniStyle, "--zoom", "12-16", "--bbox", "106.400877,20.127149,107.7386,21.021214",
                                             "--mbtiles", mbtiles, "--dry-run"])
        func total(_ output: String) -> Int {
            output.split(separator: "\n").last.flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? -1
        }
        #expect(total(polygons.output) > 0, "\(polygons.output)")
        #expect(total(polygons.output) < total(bboxOfDistricts.output) * 3 / 4, "\(polygons.output) vs \(bboxOfDistricts.output)")
    }
}
