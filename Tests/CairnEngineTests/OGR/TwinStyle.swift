import Foundation

/// A style of one file source, written the same for a copy of the data in some format and for its
/// GeoJSON twin, so that any difference in the pixels comes from reading the data.
enum TwinStyle {
    enum Drawing {
        /// Fill and outline, plus `ten` labels when the data keeps them.
        case districts(labels: Bool)
        /// A dot and a `ten` label per place.
        case places
    }

    /// Writes the style into `folder` as `name`.json and returns its path.
    /// - Parameters:
    ///   - crs: the source's `"crs"` override; `openOptions`: its `"open_options"`; `format`: its `"format"`.
    ///   - sourceLayer: the layers' `source-layer`, for files of several layers.
    static func write(data: String, crs: String? = nil, openOptions: [String: String] = [:], format: String? = nil,
                      sourceLayer: String? = nil, drawing: Drawing, in folder: String, name: String) throws -> String {
        var source: [String: Any] = ["type": "vector", "url": data]
        if let crs { source["crs"] = crs }
        if !openOptions.isEmpty { source["open_options"] = openOptions }
        if let format { source["format"] = format }
        var layers: [[String: Any]] = [["id": "bg", "type": "background", "paint": ["background-color": "#ffffff"]]]
        let labels: Bool
        switch drawing {
        case .districts(let withLabels):
            layers.append(["id": "fill", "type": "fill", "source": "d", "paint": ["fill-color": "#3060c0", "fill-opacity": 0.3]])
            layers.append(["id": "outline", "type": "line", "source": "d", "paint": ["line-color": "#000000", "line-width": 1.5]])
            labels = withLabels
        case .places:
            layers.append(["id": "dots", "type": "circle", "source": "d",
                           "paint": ["circle-radius": 5, "circle-color": "#c03030", "circle-stroke-width": 1, "circle-stroke-color": "#ffffff"]])
            labels = true
        }
        if labels {
            layers.append(["id": "labels", "type": "symbol", "source": "d",
                           "layout": ["text-field": ["get", "ten"], "text-font": ["Noto Sans Regular"], "text-size": 14,
                                      "text-anchor": "top", "text-offset": [0, 0.6]],
                           "paint": ["text-color": "#222222", "text-halo-color": "#ffffff", "text-halo-width": 1.5]])
        }
        if let sourceLayer {
            layers = layers.map { layer in
                var layer = layer
                if layer["source"] != nil { layer["source-layer"] = sourceLayer }
                return layer
            }
        }
        let style: [String: Any] = ["version": 8, "name": name, "sources": ["d": source], "layers": layers]
        let path = folder + "/" + name + ".json"
        try JSONSerialization.data(withJSONObject: style, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
        return path
    }
}
