@testable import CairnConfiguration
import CairnCore
import Foundation
import Testing
@testable import CairnEngine

/// Expressions that need more than attributes, drawn by the renderer: `within` reads the feature's
/// shape, `slice` and `number-format` build label text. Each style is compared with a plain style
/// that must draw the same pixels, and with one that must not.
struct ExpressionRenderingTests {
    static let tile = TileCoordinate(z: 13, x: 6522, y: 3610)

    /// The mini fixture in a temporary folder with its style changed by `edit` (layer id → layer JSON).
    static func render(places: String? = nil, edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        let folder = try TestPaths.copyOfMiniFixture()
        if let places { try places.write(toFile: folder + "/places.geojson", atomically: true, encoding: .utf8) }
        let stylePath = folder + "/style.json"
        var style = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: stylePath))) as? [String: Any])
        var layers = try #require(style["layers"] as? [[String: Any]])
        var byID: [String: Any] = [:]
        for layer in layers { byID[layer["id"] as! String] = layer }
        edit(&byID)
        layers = layers.map { byID[$0["id"] as! String] as! [String: Any] }
        style["layers"] = layers
        try JSONSerialization.data(withJSONObject: style).write(to: URL(fileURLWithPath: stylePath))
        let map = try MapLoader.load(MapConfiguration(name: "mini", stylePath: stylePath))
        let tiles = try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 2, in: map.grid), scale: 1)
        return try #require(tiles[tile])
    }

    static func setFilter(_ filter: Any?, on id: String) -> (inout [String: Any]) -> Void {
        { layers in
            var layer = layers[id] as! [String: Any]
            layer["filter"] = filter
            layers[id] = layer
        }
    }

    @Test func withinKeepsOnlyThePlacesInsideThePolygon() throws {
        // A small square around central Hải Phòng (106.6826 E, 20.8561 N), not around Thủy Nguyên or Đồ Sơn.
        let square: [String: Any] = ["type": "Polygon", "coordinates": [[[106.67, 20.85], [106.69, 20.85], [106.69, 20.865], [106.67, 20.865], [106.67, 20.85]]]]
        let within = try Self.render { layers in
            for id in ["place-dots", "place-labels"] { Self.setFilter(["within", square], on: id)(&layers) }
        }
        let byName = try Self.render { layers in
            for id in ["place-dots", "place-labels"] { Self.setFilter(["==", ["get", "ten"], "Hải Phòng"], on: id)(&layers) }
        }
        let everything = try Self.render { _ in }
        #expect(within == byName)
        #expect(within != everything)
    }

    @Test func sliceAndNumberFormatBuildLabels() throws {
        let computed = try Self.render { layers in
            var labels = layers["place-labels"] as! [String: Any]
            var layout = labels["layout"] as! [String: Any]
            layout["text-field"] = ["concat", ["slice", ["get", "ten"], 0, 3], " ", ["number-format", ["get", "rank"], ["min-fraction-digits": 1]]]
            labels["layout"] = layout
            layers["place-labels"] = labels
        }
        // The same labels written out ("Thủy Nguyên" is stored decomposed, so its first three code points are "Thu").
        let places = """
        {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ten": "Hải 1.0", "rank": 1}, "geometry": {"type": "Point", "coordinates": [106.6826, 20.8561]}},
        {"type": "Feature", "properties": {"ten": "Thu 2.0", "rank": 2}, "geometry": {"type": "Point", "coordinates": [106.66, 20.875]}},
        {"type": "Feature", "properties": {"ten": "Đồ  3.0", "rank": 3}, "geometry": {"type": "Point", "coordinates": [106.7, 20.84]}}]}
        """
        let written = try Self.render(places: places) { _ in }
        let original = try Self.render { _ in }
        #expect(computed == written)
        #expect(computed != original)
    }
}
