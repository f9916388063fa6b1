import Foundation
import Testing
import CairnTestSupport

/// Web maps in a real browser (headless Chromium): OpenLayers on Cairn's WMTS in the VN-2000
/// grid and Leaflet on its XYZ tiles. Each page centres the map on a tile corner, so the four
/// tiles around it land on the four quarters of the 512 × 512 window; the screenshot must show
/// the tiles Cairn serves, pixel for pixel.
@Suite(.interop, .serialized)
struct BrowserTests {
    typealias Server = InteropServer

    /// Loads `page` in headless Chromium and returns the path of a 512 × 512 screenshot.
    func screenshot(_ page: String, server: Server) throws -> String {
        let output = page + ".png"
        try server.tool("/usr/bin/chromium", [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-proxy-server",
            "--force-device-scale-factor=1", "--user-data-dir=\(server.folder)/chromium",
            "--window-size=512,512", "--virtual-time-budget=8000", "--screenshot=\(output)", "file://\(page)",
        ])
        return output
    }

    /// Writes a page from a template in Fixtures/interop with its placeholders replaced.
    func page(_ template: String, _ values: [String: String], server: Server) throws -> String {
        var text = try String(contentsOf: Server.fixtures.appendingPathComponent(template), encoding: .utf8)
        for (placeholder, value) in values { text = text.replacingOccurrences(of: placeholder, with: value) }
        let path = server.folder + "/" + template
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Checks the four tiles around the centre: tile (column - 1 + i, row - 1 + j) at (256 i, 256 j).
    func expectQuarters(_ shot: String, server: Server, tileURL: (Int, Int) -> String) throws {
        var tiles: [[String]] = []
        for j in 0..<2 {
            var line: [String] = []
            for i in 0..<2 {
                let tile = try server.download(tileURL(i - 1, j - 1), to: "tile-\(i)-\(j).png")
                line.append(tile)
                let differing = try server.differingFraction(shot, tile, x: 256 * i, y: 256 * j)
                #expect(differing < 0.02, "tile \(i - 1), \(j - 1) at (\(256 * i), \(256 * j)): \(differing) of the pixels differ")
            }
            tiles.append(line)
        }
        // The comparison tells places apart: the top-left tile is not what is drawn bottom-right.
        #expect(try server.differingFraction(shot, tiles[0][0], x: 256, y: 256) > 0.2)
    }

    @Test func openLayersShowsTheWMTSInTheVN2000Grid() async throws {
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        let caps = try String(contentsOfFile: server.download(server.capabilitiesURL, to: "caps.xml"), encoding: .utf8)
        let template = try #require(caps.firstMatch(of: /template="([^"]+)"/)?.1, "a RESTful ResourceURL")
        let style = try #require(caps.firstMatch(of: /<Style isDefault="true">\s*<ows:Identifier>([^<]+)</)?.1, "a default style")
        // Level 5 (20 m per pixel); the corner between columns 7 and 8, rows 6 and 7.
        let (level, column, row) = (5, 8, 7)
        let span = 640.0 / 32 * 256
        let path = try page("openlayers.html", [
            "CAIRN_TEMPLATE": String(template), "CAIRN_LAYER": "hp", "CAIRN_STYLE": String(style),
            "CAIRN_EASTING": "\(550_000 + Double(column) * span)", "CAIRN_NORTHING": "\(2_340_000 - Double(row) * span)",
            "CAIRN_ZOOM": "\(level)",
        ], server: server)
        let shot = try screenshot(path, server: server)
        try expectQuarters(shot, server: server) { dx, dy in
            server.base + "/maps/hp/grids/VN2000HaiPhong/\(level)/\(column + dx)/\(row + dy).png"
        }
    }

    @Test func leafletShowsTheXYZTiles() async throws {
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        let (zoom, x, y) = (12, 3262, 1805)
        let n = Double(1 << zoom)
        let longitude = Double(x) / n * 360 - 180
        let latitude = atan(sinh(.pi * (1 - 2 * Double(y) / n))) * 180 / .pi
        let path = try page("leaflet.html", [
            "CAIRN_TILES": server.base + "/maps/hp/{z}/{x}/{y}.png",
            "CAIRN_LAT": "\(latitude)", "CAIRN_LON": "\(longitude)", "CAIRN_ZOOM": "\(zoom)",
        ], server: server)
        let shot = try screenshot(path, server: server)
        try expectQuarters(shot, server: server) { dx, dy in server.base + "/maps/hp/\(zoom)/\(x + dx)/\(y + dy).png" }
    }
}
