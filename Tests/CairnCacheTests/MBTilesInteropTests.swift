import CairnCore
import Foundation
import Testing
@testable import CairnCache

/// Other MBTiles readers (GDAL) must see a normal tileset.
struct MBTilesInteropTests {
    typealias Support = MBTilesTestSupport

    @Test func gdalinfoReadsTheCacheAsMBTiles() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile("hai_phong.mbtiles"), metadata: Support.metadata)
        try store.store(Support.fixtureTiles.map { ($0.0, $0.1, etag: "e") }, fingerprint: "v1")
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
}
