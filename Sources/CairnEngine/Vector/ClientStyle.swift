import CairnCore
import Foundation

/// A map's style rewritten for MapLibre GL JS to draw from Cairn's own vector tiles: every data
/// source becomes the one `vector` source `cairn` (pointing at the map's vector TileJSON), every
/// layer gets its `source-layer` in those tiles, and Cairn-only keys (a source's `crs`) go.
///
/// Cairn has no glyph (font) PBFs to serve, and MapLibre cannot draw text without them: unless the
/// style itself names a `glyphs` URL, symbol layers are left out (and listed in the style's
/// `metadata["cairn:omitted-layers"]`). Style zoom is MapLibre zoom in both, so the client draws
/// the same map as Cairn's raster tiles at the same scale.
public enum ClientStyle {
    /// The id of the one vector source.
    public static let sourceID = "cairn"

    /// - Parameters:
    ///   - styleJSON: the style file as written.
    ///   - plan: the map's vector layers.
    ///   - tileJSONURL: absolute URL of the map's vector TileJSON.
    ///   - attribution: shown by the client for the source.
    /// - Returns: the rewritten style as a JSON object (for `JSONSerialization`).
    /// - Throws: `EngineError(.mapUnavailable)` when the file is not a JSON object (it loaded before, so it changed since).
    public static func rewrite(styleJSON: Data, plan: VectorLayerPlan, tileJSONURL: String, attribution: String) throws -> [String: Any] {
        guard var style = (try? JSONSerialization.jsonObject(with: styleJSON)) as? [String: Any] else {
            throw EngineError(.mapUnavailable, "the map's style cannot be read now")
        }
        var source: [String: Any] = ["type": "vector", "url": tileJSONURL]
        if !attribution.isEmpty { source["attribution"] = attribution }
        style["sources"] = [sourceID: source]
        let hasGlyphs = (style["glyphs"] as? String).map { $0.hasPrefix("http://") || $0.hasPrefix("https://") || $0.hasPrefix("/") } ?? false
        if !hasGlyphs { style["glyphs"] = nil }
        var layers: [Any] = []
        var omitted: [String] = []
        for case var layer as [String: Any] in (style["layers"] as? [Any]) ?? [] {
            let id = layer["id"] as? String ?? ""
            if layer["type"] as? String == "background" {
                layers.append(layer)
                continue
            }
            guard let sourceName = layer["source"] as? String,
                  let name = plan.layerName(source: sourceName, sourceLayer: layer["source-layer"] as? String) else {
                omitted.append(id)
                continue
            }
            if layer["type"] as? String == "symbol" && !hasGlyphs {
                omitted.append(id)
                continue
            }
            layer["source"] = sourceID
            layer["source-layer"] = name
            layers.append(layer)
        }
        style["layers"] = layers
        if !omitted.isEmpty {
            var metadata = style["metadata"] as? [String: Any] ?? [:]
            metadata["cairn:omitted-layers"] = omitted
            style["metadata"] = metadata
        }
        return style
    }
}
