@testable import CairnConfiguration
import CairnCore
import CairnPNG
import CairnRender
import Foundation
import Testing
@testable import CairnEngine
import CairnTestSupport

/// OSM Liberty (styles/osm-liberty, with its sprite) over the Liechtenstein OpenMapTiles MBTiles: POI icons,
/// road shields, one-way arrows and patterns, compared with reviewed reference images (`CAIRN_RECORD=1`
/// re-records), and how a map's sprite is found or refused.
struct OSMLibertyTests {
    static let stylePath = TestPaths.repositoryRoot.appendingPathComponent("styles/osm-liberty/style.json").path
    static let map: Result<LoadedMap, any Error> = Result {
        try MapLoader.load(MapConfiguration(name: "osm-liberty", stylePath: stylePath))
    }

    @Test func loadsTheSpriteAtBothRatios() throws {
        let map = try Self.map.get()
        let entry = try #require(map.sprites.entries.first)
        #expect(entry.sheets.map(\.pixelRatio) == [1, 2])
        #expect(entry.sheets[0].images.count > 200)
        #expect(map.sprites.image("default_3", scale: 2)?.image.pixelRatio == 2)
        #expect(map.sprites.contains("wetland_bg_11") && map.sprites.contains("arrow"))
        let iconWarnings = map.style.warnings.filter { $0.contains("icon-") || $0.contains("pattern") }
        #expect(iconWarnings.isEmpty, "\(iconWarnings)")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var tile: TileCoordinate
        var scale: Int = 1
        var testDescription: String { "\(tile)" + (scale == 2 ? "@2x" : "") }
        var fileName: String { "osm-liberty/\(tile.z)-\(tile.x)-\(tile.y)" + (scale == 2 ? "@2x" : "") + ".png" }
    }

    /// Vaduz: shields and town labels at z13, POI icons at z15–16, @2x from the @2x sheet.
    static let cases: [Case] = [
        Case(tile: TileCoordinate(z: 13, x: 4312, y: 2876)),
        Case(tile: TileCoordinate(z: 15, x: 17250, y: 11506)),
        Case(tile: TileCoordinate(z: 16, x: 34501, y: 23013)),
        Case(tile: TileCoordinate(z: 15, x: 17250, y: 11506), scale: 2),
    ]

    @Test(arguments: cases)
    func tileMatchesItsReference(_ testCase: Case) throws {
        let map = try Self.map.get()
        let metatile = Metatile(containing: testCase.tile, size: 4, in: map.grid)
        let tiles = try MapRenderer.render(map, metatile: metatile, scale: testCase.scale)
        let png = try #require(tiles[testCase.tile])
        let golden = TestPaths.fixtures.appendingPathComponent("golden/\(testCase.fileName)")
        if ProcessInfo.processInfo.environment["CAIRN_RECORD"] != nil {
            try? FileManager.default.removeItem(at: golden)
        }
        let check = try ImageComparison.assertSimilar(png, golden: golden, channelThreshold: 8, maxFraction: 0.005)
        #expect(check.outcome != .failed, "\(check.message)")
    }

    /// A copy of a small style whose `sprite` is `sprite`, in a fresh folder; returns the style path.
    static func style(sprite: String, in folder: String) throws -> String {
        let places = TestPaths.fixtures.appendingPathComponent("mini/places.geojson").path
        let text = #"""
        {"version": 8, "sprite": \#(sprite), "sources": {"p": {"type": "geojson", "data": "\#(places)"}},
         "layers": [{"id": "pins", "type": "symbol", "source": "p", "layout": {"icon-image": "pin"}}]}
        """#
        let path = folder + "/style.json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func spriteProblemsAreNamed() throws {
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func failure(_ sprite: String) throws -> String {
            let path = try Self.style(sprite: sprite, in: folder)
            do {
                _ = try MapLoader.load(MapConfiguration(name: "s", stylePath: path))
                Issue.record("loaded sprite \(sprite)")
                return ""
            } catch let error as EngineError {
                // What an operator sees: the message, then the file and JSON path.
                return error.message + ": " + (error.detail ?? "")
            }
        }
        let remote = try failure(#""https://example.com/sprites/x""#)
        #expect(remote.hasPrefix("map s: sprite: remote sprites are not fetched"), "\(remote)")
        #expect(!remote.components(separatedBy: ": \(folder)").first!.contains(folder), "a path in the message: \(remote)")
        let missing = try failure(#""./nothing""#)
        #expect(missing.contains("sprite: cannot read the sprite index \(folder)/nothing.json"), "\(missing)")
        try Data(#"{"pin": {"width": 4, "height": 4, "x": 0}}"#.utf8).write(to: URL(fileURLWithPath: folder + "/bad.json"))
        try Data(PNGEncoder.encode([UInt8](repeating: 255, count: 64), width: 4, height: 4, format: .rgba))
            .write(to: URL(fileURLWithPath: folder + "/bad.png"))
        let bad = try failure(#""./bad""#)
        #expect(bad.contains("\(folder)/bad.json: pin.y: required property missing"), "\(bad)")
        try FileManager.default.createDirectory(atPath: folder + "/svgs", withIntermediateDirectories: true)
        try Data("<svg".utf8).write(to: URL(fileURLWithPath: folder + "/svgs/pin.svg"))
        let svg = try failure(#"[{"id": "default", "url": "./svgs"}]"#)
        #expect(svg.contains("\(folder)/svgs/pin.svg: not a usable SVG"), "\(svg)")
    }

    @Test func spriteFromAnSVGFolderDrawsIcons() throws {
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/icons", withIntermediateDirectories: true)
        let pin = ##"<svg xmlns="http://www.w3.org/2000/svg" width="12" height="12"><circle cx="6" cy="6" r="6" fill="#ff0000"/></svg>"##
        try Data(pin.utf8).write(to: URL(fileURLWithPath: folder + "/icons/pin.svg"))
        let path = try Self.style(sprite: #""icons""#, in: folder)
        let map = try MapLoader.load(MapConfiguration(name: "s", stylePath: path))
        #expect(map.sprites.entries.first?.sheets.map(\.pixelRatio) == [1, 2])
        #expect(map.sprites.image("pin", scale: 1)?.image.width == 12)
        // Editing an icon changes the fingerprint, so cached tiles with the old icon are not served.
        let pin2 = pin.replacingOccurrences(of: "ff0000", with: "00ff00") + " "
        try Data(pin2.utf8).write(to: URL(fileURLWithPath: folder + "/icons/pin.svg"))
        let reloaded = try MapLoader.load(MapConfiguration(name: "s", stylePath: path))
        #expect(reloaded.fingerprint != map.fingerprint)
    }
}
