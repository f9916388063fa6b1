import Foundation
import Testing
@testable import CairnStyle

/// What each data layer of a style must carry: the attributes its style layers read, and the zooms they draw at.
struct StyleDataLayerTests {
    func style(_ layers: String) throws -> Style {
        let json = """
            {"version": 8, "sources": {"a": {"type": "vector", "url": "a.gpkg"}, "b": {"type": "geojson", "data": "b.geojson"}},
             "layers": [{"id": "bg", "type": "background", "paint": {"background-color": "#fff"}}, \(layers)]}
            """
        return try Style.parse(Data(json.utf8), path: "/tmp/style.json")
    }

    @Test func collectsEveryReferencedAttributePerDataLayer() throws {
        let style = try style("""
            {"id": "roads", "type": "line", "source": "a", "source-layer": "roads", "minzoom": 10,
             "filter": ["all", ["has", "highway"], ["!=", ["get", "access"], "no"]],
             "paint": {"line-color": ["match", ["get", "highway"], "primary", "#f00", "#fff"],
                       "line-width": ["interpolate", ["linear"], ["zoom"], 10, ["coalesce", ["get", "lanes"], 1], 16, 8]}},
            {"id": "legacy", "type": "line", "source": "a", "source-layer": "roads", "minzoom": 8, "maxzoom": 12,
             "filter": ["in", "class", "rail", "tram"],
             "paint": {"line-width": {"property": "gauge", "stops": [[1000, 1], [1435, 2]]}}},
            {"id": "labels", "type": "symbol", "source": "a", "source-layer": "places",
             "layout": {"text-field": "{ten}\\n{dan_so} người", "text-size": 12}},
            {"id": "dots", "type": "circle", "source": "b", "layout": {"visibility": "none"},
             "paint": {"circle-radius": ["case", ["to-boolean", ["get", "capital"]], 6, 3]}},
            {"id": "plain", "type": "fill", "source": "a", "source-layer": "water"}
            """)
        let layers = style.dataLayers
        #expect(layers.map(\.sourceLayer) == ["roads", "places", nil, "water"])
        let roads = try #require(layers.first)
        #expect(roads.attributes == ["highway", "access", "lanes", "class", "gauge"])
        #expect(roads.minzoom == 8)
        #expect(roads.maxzoom == .infinity)
        #expect(roads.layerIDs == ["roads", "legacy"])
        #expect(layers[1].attributes == ["ten", "dan_so"])
        #expect(layers[2].source == "b" && layers[2].attributes == ["capital"], "hidden layers count: a client may show them")
        #expect(layers[3].attributes.isEmpty)
    }

    @Test func zoomRangesAreTheUnionOfTheStyleLayers() throws {
        let style = try style("""
            {"id": "low", "type": "fill", "source": "a", "source-layer": "land", "minzoom": 4, "maxzoom": 9},
            {"id": "high", "type": "line", "source": "a", "source-layer": "land", "minzoom": 12, "maxzoom": 15}
            """)
        let land = try #require(style.dataLayers.first)
        #expect(land.minzoom == 4 && land.maxzoom == 15)
        #expect(land.isUsed(fromZoom: 3, below: 4) == false)
        #expect(land.isUsed(fromZoom: 4, below: 5))
        #expect(land.isUsed(fromZoom: 14, below: 15))
        #expect(land.isUsed(fromZoom: 10, below: 11) == false, "no style layer draws between 9 and 12")
        #expect(land.isUsed(fromZoom: 15, below: 16) == false)
    }
}
