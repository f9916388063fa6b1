import CairnCore
import Foundation

/// A map's style rewritten for MapLibre GL JS to draw from Cairn's own vector tiles: every data
/// source becomes the one `vector` source `cairn` (pointing at the map's vector TileJSON), every
/// layer gets its `source-layer` in those tiles, and Cairn-only keys (a source's `crs`) go.
///
/// `glyphs` points at Cairn's own glyph ranges (`/fonts/{fontstack}/{range}.pbf`, made from the
/// fonts the raster tiles' labels use), so symbol layers stay and the client draws the same labels,
/// Vietnamese included; a `glyphs` URL the style names is replaced for the same reason (and kept in
/// `metadata["cairn:style-glyphs"]`). Layers whose data Cairn does not serve as vector tiles are
/// left out and listed in `metadata["cairn:omitted-layers"]`. Style zoom is MapLibre zoom in both,
/// so the client draws the same map as Cairn's raster tiles at the same scale.
public enum ClientStyle {
    /// The id of the one vector source.
    public static let sourceID = "cairn"

    /// - Parameters:
    ///   - styleJSON: the style file as written.
    ///   - plan: the map's vector layers.
    ///   - tileJSONURL: absolute URL of the map's vector TileJSON.
    ///   - glyphsURL: absolute URL template of Cairn's glyph ranges (`…/fonts/{fontstack}/{range}.pbf`).
    ///   - attribution: shown by the client for the source.
    ///   - sprites: the sprite ids the map serves and their base URLs (`…/sprite`, without `.json`); the style's
    ///     own `sprite` is replaced by them, or removed when there are none (a local path means nothing to a client).
    /// - Returns: the rewritten style, its members in the file's order.
    /// - Throws: `EngineError(.mapUnavailable)` when the file is not a JSON object (it loaded before, so it changed since).
    public static func rewrite(styleJSON: Data, plan: VectorLayerPlan, tileJSONURL: String, glyphsURL: String, attribution: String,
                               sprites: [(id: String, url: String)] = []) throws -> JSONValue {
        guard var style = try? JSONParser.parse([UInt8](styleJSON)), style.objectMembers != nil else {
            throw EngineError(.mapUnavailable, "the map's style cannot be read now")
        }
        var source: JSONValue = ["type": "vector", "url": JSONValue(tileJSONURL)]
        if !attribution.isEmpty { source[member: "attribution"] = JSONValue(attribution) }
        style[member: "sources"] = [sourceID: source]
        let styleGlyphs = style["glyphs"]?.stringValue
        style[member: "glyphs"] = JSONValue(glyphsURL)
        if sprites.count == 1 && sprites[0].id == "default" {
            style[member: "sprite"] = JSONValue(sprites[0].url)
        } else if sprites.isEmpty {
            style[member: "sprite"] = nil
        } else {
            style[member: "sprite"] = .array(sprites.map { ["id": JSONValue($0.id), "url": JSONValue($0.url)] })
        }
        var layers: [JSONValue] = []
        var omitted: [JSONValue] = []
        for var layer in style["layers"]?.arrayValue ?? [] where layer.objectMembers != nil {
            let id = layer["id"]?.stringValue ?? ""
            if layer["type"]?.stringValue == "background" {
                layers.append(layer)
                continue
            }
            guard let sourceName = layer["source"]?.stringValue,
                  let name = plan.layerName(source: sourceName, sourceLayer: layer["source-layer"]?.stringValue) else {
                omitted.append(JSONValue(id))
                continue
            }
            layer[member: "source"] = JSONValue(sourceID)
            layer[member: "source-layer"] = JSONValue(name)
            layers.append(layer)
        }
        style[member: "layers"] = .array(layers)
        if !omitted.isEmpty || (styleGlyphs != nil && styleGlyphs != glyphsURL) {
            var metadata: JSONValue = style["metadata"].flatMap { $0.objectMembers != nil ? $0 : nil } ?? [:]
            if !omitted.isEmpty { metadata[member: "cairn:omitted-layers"] = .array(omitted) }
            if let styleGlyphs, styleGlyphs != glyphsURL { metadata[member: "cairn:style-glyphs"] = JSONValue(styleGlyphs) }
            style[member: "metadata"] = metadata
        }
        return style
    }
}
