import CairnTestSupport
import Foundation
import Testing

/// Maps whose data GDAL reads behave as maps of native files under `cairn serve` and `cairn seed`:
/// reloaded when any file of a MapInfo table or File Geodatabase changes, kept on their last good
/// version when a file breaks (with `/health` saying why), seeded and expired.
@Suite(.interop, .serialized)
struct OGRServingTests {
    /// Three tiles of the city in different metatiles (z12, metatile 8).
    static let cachedTile = "12/3261/1805"
    static let otherTile = "12/3254/1800"

    struct Served {
        let folder: String
        let port: Int
        let process: Process

        func tile(_ tile: String, to name: String = "tile.png") -> (status: Int, bytes: Data) {
            let path = folder + "/" + name
            let status = curlStatus("http://127.0.0.1:\(port)/maps/ogr/\(tile).png", output: path)
            return (status, (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
        }

        /// The map's entry in `/health` ("status", "error", "fingerprint").
        func health() -> [String: Any] {
            let path = folder + "/health.json"
            _ = curlStatus("http://127.0.0.1:\(port)/health", output: path)
            let object = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))) as? [String: Any]
            return (object?["maps"] as? [String: Any])?["ogr"] as? [String: Any] ?? [:]
        }

        /// Asks for a tile (which makes the server look at its files) until `/health` satisfies `condition`.
        func waitForHealth(_ condition: ([String: Any]) -> Bool) async -> Bool {
            await Wait.until(timeout: .seconds(30), interval: .milliseconds(100)) {
                _ = tile(OGRServingTests.cachedTile, to: "poll.png")
                return condition(health())
            }
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// `cairn serve` with one map `ogr` drawing `source` (relative to `folder`) as a red fill.
    static func serve(_ folder: String, source: String) async throws -> Served {
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource(source))
        let port = try InteropServer.freePort()
        let process = try await startServer(folder: folder, port: port, mapLines: "  - name: ogr\n    style: style.json\n    scales: [1]\n")
        return Served(folder: folder, port: port, process: process)
    }

    @Test func aBrokenTableKeepsTheLastGoodMapUntilItIsFixed() async throws {
        let folder = try CairnProcess.temporaryFolder()
        try OGRTestData.districtsTAB(in: folder)
        let server = try await Self.serve(folder, source: "districts.tab")
        defer { server.stop() }
        let before = server.tile(Self.cachedTile)
        #expect(before.status == 200)
        let good = try #require(server.health()["fingerprint"] as? String)
        let original = try Data(contentsOf: URL(fileURLWithPath: folder + "/districts.map"))

        try OGRTestData.truncateToHalf(folder + "/districts.map")
        let noticed = await server.waitForHealth { ($0["error"] as? String)?.contains("districts.tab: layer districts (GDAL MapInfo File)") == true }
        #expect(noticed, "\(server.health())")
        #expect(server.health()["status"] as? String == "degraded")
        // Cached tiles and new renders come from the last good version.
        let cached = server.tile(Self.cachedTile)
        #expect(cached.status == 200 && cached.bytes == before.bytes)
        let rendered = server.tile(Self.otherTile, to: "other.png")
        #expect(rendered.status == 200 && !rendered.bytes.isEmpty)

        try original.write(to: URL(fileURLWithPath: folder + "/districts.map"))
        let fixed = await server.waitForHealth { $0["status"] as? String == "ok" }
        #expect(fixed, "\(server.health())")
        #expect(server.health()["fingerprint"] as? String != good, "the fixed file was loaded again")
    }

    /// A MapInfo table is four files: an edit of the attributes alone (.dat) reloads the map.
    @Test func editingATablesDatFileReloadsTheMap() async throws {
        let folder = try CairnProcess.temporaryFolder()
        try OGRTestData.districtsTAB(in: folder)
        let server = try await Self.serve(folder, source: "districts.tab")
        defer { server.stop() }
        #expect(server.tile(Self.cachedTile).status == 200)
        let first = try #require(server.health()["fingerprint"] as? String)
        // The same attributes written again, a name changed in place (same length).
        let dat = folder + "/districts.dat"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dat))
        let range = try #require(bytes.range(of: Data("Ki".utf8)))
        bytes.replaceSubrange(range, with: Data("Ky".utf8))
        try bytes.write(to: URL(fileURLWithPath: dat))
        let reloaded = await server.waitForHealth { $0["status"] as? String == "ok" && $0["fingerprint"] as? String != first }
        #expect(reloaded, "\(server.health())")
    }

    /// A File Geodatabase is a folder: features appended to it (new or rewritten table files) reload the map.
    @Test func changingAFileGeodatabaseFolderReloadsTheMap() async throws {
        let folder = try CairnProcess.temporaryFolder()
        let gdb = folder + "/districts.gdb"
        try OGRTestData.ogr2ogr(["-f", "OpenFileGDB", gdb, OGRTestData.districts, "-nln", "districts", "-nlt", "MULTIPOLYGON"])
        let server = try await Self.serve(folder, source: "districts.gdb")
        defer { server.stop() }
        #expect(server.tile(Self.cachedTile).status == 200)
        let first = try #require(server.health()["fingerprint"] as? String)
        try OGRTestData.ogr2ogr(["-f", "OpenFileGDB", "-update", "-append", gdb, OGRTestData.districts, "-nln", "districts", "-nlt", "MULTIPOLYGON"])
        let reloaded = await server.waitForHealth { $0["status"] as? String == "ok" && $0["fingerprint"] as? String != first }
        #expect(reloaded, "\(server.health())")
    }

    @Test func seedingAndExpiryWorkOnAMapInfoTable() throws {
        let folder = try CairnProcess.temporaryFolder()
        try OGRTestData.districtsTAB(in: folder)
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("districts.tab"))
        try "cache: {directory: cache}\nmaps:\n  - name: ogr\n    style: style.json\n    metatile: 2\n    scales: [1]\n"
            .write(toFile: folder + "/cairn.yaml", atomically: true, encoding: .utf8)
        let expiry = ExpiryTests()
        let seed = ["seed", "--config", "cairn.yaml", "--map", "ogr", "--zoom", "12-14", "--bbox", SeedingTests.bbox, "--progress", "json"]
        let first = try CairnProcess.cairn(seed, in: folder)
        #expect(first.status == 0, "\(first.output)")
        let summary = try expiry.summary(first.output)
        #expect((summary["rendered"] as? Int ?? 0) > 0 && summary["done"] as? Int == summary["total"] as? Int, "\(summary)")

        try "13/6523/3610\n".write(toFile: folder + "/expired.txt", atomically: true, encoding: .utf8)
        let expire = try CairnProcess.cairn(["expire", "--config", "cairn.yaml", "--map", "ogr", "--zoom", "12-14", "--tiles", "expired.txt"], in: folder)
        #expect(expire.status == 0, "\(expire.output)")
        #expect(expire.output.contains("marked stale 6 cached tiles"), "\(expire.output)")
        let stale = try CairnProcess.cairn(seed + ["--stale-only"], in: folder)
        #expect(stale.status == 0, "\(stale.output)")
        #expect(try expiry.summary(stale.output)["rendered"] as? Int == 6)
        #expect(try SeedingTests.sqlite(folder + "/cache/ogr.mbtiles", "SELECT count(*) FROM map WHERE stale = 1") == "0")
    }
}
