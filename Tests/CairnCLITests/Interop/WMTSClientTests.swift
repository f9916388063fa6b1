import Foundation
import Testing
import CairnTestSupport

/// WMTS clients nobody here wrote (GDAL's WMTS driver, OWSLib) and the official OGC schema,
/// against a live `cairn serve`.
@Suite(.interop, .serialized)
struct WMTSClientTests {
    typealias Server = InteropServer

    /// A tile-aligned window: one tile of a grid at one level, its bounds in the grid's CRS.
    struct Window {
        var matrixSet: String
        var level: Int
        var column: Int
        var row: Int
        var minX: Double
        var maxY: Double
        var resolution: Double
        var epsg: Int
        var maxX: Double { minX + 256 * resolution }
        var minY: Double { maxY - 256 * resolution }
        /// The tile through Cairn's own grid route (column x, row y from the top).
        var tilePath: String { "/maps/hp/grids/\(matrixSet)/\(level)/\(column)/\(row).png" }

        static func vn2000(level: Int, column: Int, row: Int) -> Window {
            let resolution = 640 / Double(1 << level)
            return Window(matrixSet: "VN2000HaiPhong", level: level, column: column, row: row,
                          minX: 550_000 + Double(column) * 256 * resolution, maxY: 2_340_000 - Double(row) * 256 * resolution,
                          resolution: resolution, epsg: 9210)
        }

        static func webMercator(level: Int, column: Int, row: Int) -> Window {
            let half = 20_037_508.342789244
            let resolution = 2 * half / 256 / Double(1 << level)
            return Window(matrixSet: "WebMercatorQuad", level: level, column: column, row: row,
                          minX: -half + Double(column) * 256 * resolution, maxY: half - Double(row) * 256 * resolution,
                          resolution: resolution, epsg: 3857)
        }
    }

    /// Central Hải Phòng (Hồng Bàng, Lê Chân, An Dương) in each grid.
    static let windows: [Window] = [.vn2000(level: 5, column: 8, row: 7), .webMercator(level: 12, column: 3262, row: 1805)]

    @Test func gdalinfoReadsTheVN2000Layer() async throws {
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        let info = try server.json("/usr/bin/gdalinfo", ["-json", server.gdalWMTS("VN2000HaiPhong")])
        let wkt = ((info["coordinateSystem"] as? [String: Any])?["wkt"] as? String) ?? ""
        #expect(wkt.hasSuffix("ID[\"EPSG\",9210]]"), "\(wkt.suffix(200))")
        let size = try #require(info["size"] as? [Int])
        let transform = try #require(info["geoTransform"] as? [Double])
        // Full resolution is the finest level, 640 m / 2^13; the extent is the layer's, inside the grid.
        #expect(transform[1] == 0.078125 && transform[5] == -0.078125, "\(transform)")
        let (west, north) = (transform[0], transform[3])
        let east = west + Double(size[0]) * transform[1]
        let south = north + Double(size[1]) * transform[5]
        #expect(west >= 550_000 && east <= 713_840 && south >= 2_176_160 && north <= 2_340_000, "\([west, south, east, north])")
        // Hải Phòng is about 100 km across.
        #expect((80_000...160_000).contains(east - west) && (60_000...160_000).contains(north - south), "\([west, south, east, north])")
        let overviews = ((info["bands"] as? [[String: Any]])?.first?["overviews"] as? [Any])?.count ?? 0
        #expect(overviews >= 10, "one overview per coarser level")
    }

    @Test(arguments: windows)
    func gdalTranslateOfATileWindowIsThatTile(window: Window) async throws {
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        let tiff = server.folder + "/window.tif"
        try server.tool("/usr/bin/gdal_translate", ["-q", "-projwin", "\(window.minX)", "\(window.maxY)", "\(window.maxX)", "\(window.minY)",
                                                    "-outsize", "256", "256", server.gdalWMTS(window.matrixSet), tiff])
        let info = try server.json("/usr/bin/gdalinfo", ["-json", tiff])
        let wkt = ((info["coordinateSystem"] as? [String: Any])?["wkt"] as? String) ?? ""
        #expect(wkt.hasSuffix("ID[\"EPSG\",\(window.epsg)]]"), "\(wkt.suffix(200))")
        let transform = try #require(info["geoTransform"] as? [Double])
        // Within a hundredth of a pixel of the requested window.
        let tolerance = window.resolution / 100
        #expect(abs(transform[0] - window.minX) < tolerance && abs(transform[3] - window.maxY) < tolerance, "\(transform)")
        #expect(abs(transform[1] - window.resolution) < tolerance / 256 && abs(transform[5] + window.resolution) < tolerance / 256, "\(transform)")
        let corners = try #require(info["cornerCoordinates"] as? [String: [Double]])
        let lowerRight = try #require(corners["lowerRight"])
        #expect(abs(lowerRight[0] - window.maxX) < window.resolution && abs(lowerRight[1] - window.minY) < window.resolution, "\(corners)")

        // Through the overviews GDAL builds over all levels the window is the tile Cairn serves
        // there to within a pixel (GDAL maps overview pixels by scale from the layer's corner, not
        // by tile, so it may land one pixel off).
        let png = server.folder + "/window.png"
        try server.tool("/usr/bin/gdal_translate", ["-q", "-of", "PNG", "-b", "1", "-b", "2", "-b", "3", tiff, png])
        let tile = try server.download(server.base + window.tilePath, to: "tile.png")
        let placement = try server.bestPlacement(png, tile, x: 0, y: 0, radius: 1)
        #expect(placement.differing < 0.02, "\(placement)")

        // Read at that one level, GDAL got the capabilities right (origin, scale denominators,
        // axis order) only if it assembles exactly the tile.
        let exact = server.folder + "/level.png"
        try server.tool("/usr/bin/gdal_translate", ["-q", "-of", "PNG", "-b", "1", "-b", "2", "-b", "3",
                                                    "-projwin", "\(window.minX)", "\(window.maxY)", "\(window.maxX)", "\(window.minY)",
                                                    "-outsize", "256", "256", server.gdalWMTS(window.matrixSet, level: window.level), exact])
        #expect(try server.differingFraction(exact, tile, x: 0, y: 0) == 0)
    }

    @Test func owslibReadsTheCapabilitiesAndFetchesATileInEachGrid() async throws {
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        let requests = Self.windows.map { "\($0.matrixSet):\($0.level):\($0.row):\($0.column)" }
        let summary = try server.json(Server.python, [Server.fixtures.appendingPathComponent("owslib_client.py").path,
                                                      server.capabilitiesURL, "hp", server.folder] + requests)
        #expect(summary["type"] as? String == "OGC WMTS")
        #expect(summary["layers"] as? [String] == ["hp"])
        #expect(summary["links"] as? [String] == ["VN2000HaiPhong", "WebMercatorQuad"])
        let sets = try #require(summary["matrixSets"] as? [String: [String: Any]])
        #expect(sets["VN2000HaiPhong"]?["matrices"] as? Int == 14)
        #expect(sets["WebMercatorQuad"]?["matrices"] as? Int == 25)
        #expect(sets["VN2000HaiPhong"]?["crs"] as? String == "urn:ogc:def:crs:EPSG::9210")
        #expect(sets["VN2000HaiPhong"]?["topLeftCorner0"] as? [Double] == [550_000, 2_340_000])
        let scale = try #require(sets["VN2000HaiPhong"]?["scaleDenominator0"] as? Double)
        #expect(abs(scale - 640 / 0.000_28) < 1e-6)
        #expect(Set(summary["operations"] as? [String] ?? []).isSuperset(of: ["GetCapabilities", "GetTile"]))
        let tiles = try #require(summary["tiles"] as? [[String: Any]])
        #expect(tiles.count == 2)
        for (tile, window) in zip(tiles, Self.windows) {
            #expect(tile["kvpIsPNG"] as? Bool == true && tile["restIsPNG"] as? Bool == true, "\(tile)")
            // Both encodings give the tile Cairn serves on its own grid route.
            let name = try #require(tile["name"] as? String)
            let direct = try server.download(server.base + window.tilePath, to: "direct-\(name).png")
            for encoding in ["kvp", "rest"] {
                #expect(try server.differingFraction(server.folder + "/\(name)-\(encoding).png", direct, x: 0, y: 0) == 0, "\(name) \(encoding)")
            }
        }
    }

    @Test func capabilitiesValidateAgainstTheOGCSchema() async throws {
        let schema = Server.schemas + "/wmts/1.0/wmtsGetCapabilities_response.xsd"
        try #require(FileManager.default.fileExists(atPath: schema), "run scripts/test-schemas (scripts/install-deps does) to fetch the OGC schemas")
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        for (name, url) in [("rest.xml", server.capabilitiesURL), ("kvp.xml", server.base + "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities")] {
            let caps = try server.download(url, to: name)
            let output = try server.tool("/usr/bin/xmllint", ["--noout", "--schema", schema, caps])
            #expect(output.isEmpty)
            // The service describes itself as configured, escaped.
            let text = try String(contentsOfFile: caps, encoding: .utf8)
            #expect(text.contains("<ows:Title>Bản đồ Hải Phòng &amp; &lt;thử&gt;</ows:Title>"))
            #expect(text.contains("<ows:ProviderName>Sở Tài nguyên và Môi trường Hải Phòng</ows:ProviderName>"))
        }
        // The validation is not vacuous: a layer without its identifier is rejected.
        let good = try String(contentsOfFile: server.folder + "/rest.xml", encoding: .utf8)
        let broken = server.folder + "/broken.xml"
        try good.replacingOccurrences(of: "<ows:Identifier>hp</ows:Identifier>", with: "").write(toFile: broken, atomically: true, encoding: .utf8)
        #expect(throws: InteropError.self) { try server.tool("/usr/bin/xmllint", ["--noout", "--schema", schema, broken]) }
    }
}

extension WMTSClientTests.Window: CustomTestStringConvertible {
    var testDescription: String { "\(matrixSet) \(level)/\(column)/\(row)" }
}
