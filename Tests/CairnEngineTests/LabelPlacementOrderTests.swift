@testable import CairnConfiguration
import CairnCore
import CairnPNG
import CairnRender
import Foundation
import Testing
@testable import CairnEngine

/// Label placement across a whole map: the topmost symbol layer wins, the demo's own names are there,
/// and neighbouring metatiles agree on every label near their shared edge.
struct LabelPlacementOrderTests {
    /// A style with one point and two symbol layers on it, red then blue (blue on top unless `reversed`).
    static func twoLayerStyle(reversed: Bool) throws -> String {
        let folder = TestPaths.temporaryFolder("two-layers-\(reversed)")
        let point = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Hải Phòng"},"geometry":{"type":"Point","coordinates":[106.6826,20.8561]}}]}"#
        try point.write(toFile: folder + "/point.geojson", atomically: true, encoding: .utf8)
        func layer(_ id: String, _ color: String) -> String {
            ##"{"id":"\##(id)","type":"symbol","source":"p","layout":{"text-field":["get","name"],"text-size":20},"paint":{"text-color":"\##(color)"}}"##
        }
        let layers = reversed ? [layer("blue", "#0000ff"), layer("red", "#ff0000")] : [layer("red", "#ff0000"), layer("blue", "#0000ff")]
        let style = ##"{"version":8,"sources":{"p":{"type":"geojson","data":"point.geojson"}},"layers":[{"id":"bg","type":"background","paint":{"background-color":"#ffffff"}},"##
            + layers.joined(separator: ",") + "]}"
        try style.write(toFile: folder + "/style.json", atomically: true, encoding: .utf8)
        return folder + "/style.json"
    }

    /// Red and blue pixel counts of the tile holding the point at z14.
    static func colours(reversed: Bool) throws -> (red: Int, blue: Int) {
        let map = try MapLoader.load(MapConfiguration(name: "two", stylePath: try twoLayerStyle(reversed: reversed)))
        let tile = TileCoordinate(z: 14, x: 13047, y: 7221)
        let png = try #require(try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 1, in: map.grid), scale: 1)[tile])
        let image = try PNGDecoder.decode(png)
        var red = 0, blue = 0
        for i in stride(from: 0, to: image.rgba.count, by: 4) {
            let r = image.rgba[i], b = image.rgba[i + 2]
            if r > 180 && b < 120 { red += 1 }
            if b > 180 && r < 120 { blue += 1 }
        }
        return (red, blue)
    }

    @Test func theTopmostSymbolLayerIsPlacedFirst() throws {
        let blueOnTop = try Self.colours(reversed: false)
        #expect(blueOnTop.blue > 20 && blueOnTop.red == 0, "blue on top: \(blueOnTop)")
        let redOnTop = try Self.colours(reversed: true)
        #expect(redOnTop.red > 20 && redOnTop.blue == 0, "red on top: \(redOnTop)")
    }

    /// Label ink of a demo tile around the place of "Hải Phòng": the tile rendered minus the same tile
    /// with the city label layer hidden.
    @Test(arguments: 10...14)
    func haiPhongIsLabelledAtEveryCityZoom(z: Int) throws {
        let map = try GoldenTileTests.demo.get()
        // Web Mercator pixel of 106.6826 E, 20.8561 N at this zoom.
        let n = Double(1 << z) * 256
        let x = (106.6826 + 180) / 360 * n
        let latitude = 20.8561 * Double.pi / 180
        let y = (1 - log(tan(latitude) + 1 / cos(latitude)) / Double.pi) / 2 * n
        let tile = TileCoordinate(z: z, x: Int(x / 256), y: Int(y / 256))
        let metatile = Metatile(containing: tile, size: map.configuration.metatileSize, in: map.grid)
        let labels = try MapRenderer.placedLabels(map, metatile: metatile, scale: 1)
        let city = labels.filter { $0.text == "Hải Phòng" }
        #expect(city.count == 1, "\"Hải Phòng\" placed \(city.count) times at z\(z)")
    }

    @Test(arguments: 13...15)
    func vaduzIsLabelledInLiechtenstein(z: Int) throws {
        let style = TestPaths.repositoryRoot.appendingPathComponent("styles/liechtenstein-omt.json").path
        let map = try MapLoader.load(MapConfiguration(name: "li", stylePath: style))
        let n = Double(1 << z) * 256
        let x = (9.5209 + 180) / 360 * n
        let latitude = 47.1410 * Double.pi / 180
        let y = (1 - log(tan(latitude) + 1 / cos(latitude)) / Double.pi) / 2 * n
        let tile = TileCoordinate(z: z, x: Int(x / 256), y: Int(y / 256))
        let labels = try MapRenderer.placedLabels(map, metatile: Metatile(containing: tile, size: 8, in: map.grid), scale: 1)
        #expect(labels.contains { $0.text == "Vaduz" }, "no Vaduz at z\(z)")
    }

    /// Two metatiles side by side (and one above the other) must place the same labels across their
    /// shared edge: every label one draws that reaches into the other is drawn there too, at the same place.
    @Test(arguments: [12, 14, 15])
    func neighbouringMetatilesAgreeOnLabelsAcrossTheirEdge(z: Int) throws {
        let map = try GoldenTileTests.demo.get()
        let n = Double(1 << z)
        let centre = TileCoordinate(z: z, x: Int((106.6826 + 180) / 360 * n), y: Int(0.4407 * n))
        let size = 2
        let a = Metatile(containing: centre, size: size, in: map.grid)
        let right = Metatile(containing: TileCoordinate(z: z, x: a.origin.x + size, y: a.origin.y), size: size, in: map.grid)
        let below = Metatile(containing: TileCoordinate(z: z, x: a.origin.x, y: a.origin.y + size), size: size, in: map.grid)
        let placedA = try MapRenderer.placedLabels(map, metatile: a, scale: 1)
        var crossing = 0
        for neighbour in [right, below] {
            let placedB = try MapRenderer.placedLabels(map, metatile: neighbour, scale: 1)
            let boundsA = a.bounds(in: map.grid), boundsB = neighbour.bounds(in: map.grid)
            func key(_ label: (text: String, box: BoundingBox)) -> String {
                "\(label.text) @ \((label.box.minX * 100).rounded() / 100), \((label.box.minY * 100).rounded() / 100)"
            }
            let fromA = Set(placedA.filter { $0.box.intersects(boundsB) }.map(key))
            let fromB = Set(placedB.filter { $0.box.intersects(boundsA) }.map(key))
            #expect(fromA == fromB, "cut or doubled across the edge: only in A \(fromA.subtracting(fromB).sorted()), only in B \(fromB.subtracting(fromA).sorted())")
            crossing += fromA.count
        }
        #expect(crossing > 0, "no label crosses the edges at z\(z): the test proves nothing")
    }
}
