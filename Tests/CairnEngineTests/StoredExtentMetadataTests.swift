@testable import CairnConfiguration
import CairnCore
import CairnSQLite
import Foundation
import CairnTestSupport
import Testing
@testable import CairnEngine

/// A seeded cache's `minzoom`, `maxzoom` and `bounds` describe the tiles it holds, so GDAL opens
/// it at full resolution rather than at an empty configured `maxzoom`.
@Suite(.serialized) struct StoredExtentMetadataTests {
    func metadata(_ path: String) throws -> [String: String] {
        let connection = try SQLiteConnection(path: path, flags: .readOnly, busyTimeoutMilliseconds: 5000)
        let statement = try connection.prepare("SELECT name, value FROM metadata")
        var rows: [String: String] = [:]
        while try statement.step() { rows[statement.string(0) ?? ""] = statement.string(1) ?? "" }
        return rows
    }

    @Test(.interop) func aSeededCacheDescribesWhatItHoldsAndGDALReadsItAtFullResolution() async throws {
        let cache = TestPaths.temporaryFolder()
        let engine = TileEngine(configuration: CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle, metatileSize: 2, maxZoom: 20),
        ]), renderThreads: 2)
        let map = try await engine.map(named: "mini")
        let progress = try await engine.seed(map: "mini", SeedRequest(zooms: 10...12, workers: 2))
        #expect(progress.failedTiles == 0)
        #expect(progress.renderedTiles > 0)
        try await engine.shutdown()

        let path = cache + "/mini.mbtiles"
        let rows = try metadata(path)
        #expect(rows["minzoom"] == "10")
        #expect(rows["maxzoom"] == "12")
        let bounds = try #require(rows["bounds"]).split(separator: ",").compactMap { Double($0) }
        try #require(bounds.count == 4)
        let mapBounds = map.geographicBounds
        #expect(bounds[0] >= mapBounds.minX - 1e-6 && bounds[1] >= mapBounds.minY - 1e-6)
        #expect(bounds[2] <= mapBounds.maxX + 1e-6 && bounds[3] <= mapBounds.maxY + 1e-6)
        #expect(bounds[0] < bounds[2] && bounds[1] < bounds[3])

        let gdal = Process()
        gdal.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gdal.arguments = ["gdalinfo", "-json", path]
        let output = Pipe()
        gdal.standardOutput = output
        gdal.standardError = FileHandle.nullDevice
        try gdal.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        gdal.waitUntilExit()
        try #require(gdal.terminationStatus == 0, "gdalinfo failed")
        let info = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let geoTransform = try #require(info["geoTransform"] as? [Double])
        let size = try #require(info["size"] as? [Int])
        // Zoom 12 of Web Mercator: 2π·6378137 m over 256·2^12 pixels.
        let zoom12 = 2 * Double.pi * 6_378_137 / Double(256 << 12)
        #expect(abs(geoTransform[1] - zoom12) < zoom12 * 1e-6, "GDAL opened the file at \(geoTransform[1]) m per pixel")
        // The raster spans the stored bounds at that resolution (whole tiles, so up to a tile more).
        let projected = WebMercator.project(BoundingBox(minX: bounds[0], minY: bounds[1], maxX: bounds[2], maxY: bounds[3]))
        let expectedWidth = projected.width / zoom12
        #expect(Double(size[0]) >= expectedWidth - 1 && Double(size[0]) <= expectedWidth + 512, "width \(size[0]) for \(expectedWidth)")
    }
}
