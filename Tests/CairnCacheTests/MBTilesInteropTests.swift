import CairnCore
import Foundation
import Testing
@testable import CairnCache
import CairnTestSupport

/// Other MBTiles readers (GDAL) must see a normal tileset.
@Suite(.interop)
struct MBTilesInteropTests {
    typealias Support = MBTilesTestSupport

    @Test func gdalinfoReadsTheCacheAsMBTiles() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile("hai_phong.mbtiles"), metadata: Support.metadata)
        try store.store(Support.fixtureTiles.map { ($0.0, $0.1, etag: "\"\($0.0)\"") }, fingerprint: "v1")
        // A blank tile stored at two addresses: the view must show it at both.
        try store.store([10, 11].map { (TileCoordinate(z: 12, x: $0, y: 0), [9, 9], etag: "blank") }, fingerprint: "v1")
        let result = try Support.run(["gdalinfo", "-json", store.path])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(json["driverShortName"] as? String == "MBTiles")
        let size = try #require(json["size"] as? [Int])
        #expect(size == [512, 512])  // 2 x 2 tiles at zoom 10
        // wgs84Extent is a GeoJSON polygon; its corners are the metadata bounds.
        let extent = try #require(json["wgs84Extent"] as? [String: Any])
        let ring = try #require((extent["coordinates"] as? [[[Double]]])?.first)
        let lons = ring.map { $0[0] }, lats = ring.map { $0[1] }
        #expect(abs(lons.min()! - 106.5234375) < 1e-6 && abs(lons.max()! - 107.2265625) < 1e-6)
        #expect(abs(lats.min()! - 20.30341752) < 1e-6 && abs(lats.max()! - 20.96143961) < 1e-6)
    }

    @Test func gdalTranslateDecodesTheTilesThroughTheView() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile("hai_phong.mbtiles"), metadata: Support.metadata)
        try store.store(Support.fixtureTiles.map { ($0.0, $0.1, etag: "\($0.0)") }, fingerprint: "v1")
        try store.markStale([Support.fixtureTiles[0].0])  // stale tiles stay visible to readers
        let output = (store.path as NSString).deletingLastPathComponent + "/out.tif"
        let translate = try Support.run(["gdal_translate", "-q", store.path, output])
        #expect(translate.status == 0)
        // 10/815/451 (fill 230,120,60) is the north-west quarter; 10/816/452 (200,200,80) the south-east.
        for (pixel, rgb) in [("128 128", [230, 120, 60]), ("384 384", [200, 200, 80])] {
            let probe = try Support.run(["sh", "-c", "echo \(pixel) | gdallocationinfo -valonly \(output)"])
            #expect(probe.output.split(separator: "\n").prefix(3).compactMap { Int($0) } == rgb)
        }
    }

    @Test func sqliteCLIReadsTheViewWithSharedImages() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        try store.store((0..<5).map { (TileCoordinate(z: 3, x: $0, y: 0), [7, 7, 7], etag: "sea") }, fingerprint: "v1")
        let cli = try Support.run(["sqlite3", store.path, "SELECT count(*), count(DISTINCT hex(tile_data)), min(hex(tile_data)) FROM tiles"])
        #expect(cli.output.trimmingCharacters(in: .whitespacesAndNewlines) == "5|1|070707")
    }
}
