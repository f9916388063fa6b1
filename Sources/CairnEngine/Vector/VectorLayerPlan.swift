import CairnCore
import CairnProjection
import CairnStyle

/// Which MVT layers a map's vector tiles carry: one per data layer the style draws from (a
/// source and source-layer), named after its source-layer (or source), with only the attributes
/// the style reads and only at the tile levels where some style layer of it draws.
///
/// A vector tile of level z is shown by MapLibre (512 px tiles) from style zoom z up to z + 1,
/// so a data layer is in it when a style layer draws somewhere in that range; at the map's
/// highest level the tile is over-zoomed, so everything drawn from there up is in it too.
public struct VectorLayerPlan: Sendable {
    public struct Layer: Sendable {
        /// The MVT layer name, and the `source-layer` the client style uses.
        public let name: String
        public let source: String
        public let sourceLayer: String?
        /// The attributes the style reads, sorted.
        public let attributes: [String]
        /// Attribute types for TileJSON `vector_layers.fields`: "String", "Number", "Boolean" or
        /// "Mixed" (values of several types), as found in the data; "String" when every value is null.
        public let fields: [String: String]
        /// Tile levels that carry the layer.
        public let minZoom: Int
        public let maxZoom: Int
        /// The style layers drawing from it.
        public let styleLayerIDs: [String]
        /// Key into `LoadedMap.layers`.
        let key: String
        /// Each style layer's zooms and filter: a feature no style layer would draw at a level is left out.
        let styleLayers: [(range: Range<Double>, filter: Filter?)]

        public func isCarried(atZoom z: Int) -> Bool { z >= minZoom && z <= maxZoom }

        /// The filters deciding which features a tile of level `z` (shown from style zoom `z` up to
        /// `upper`) carries; nil when every feature goes in (a style layer there has no filter).
        func filters(atZoom z: Int, upper: Double) -> [Filter]? {
            var filters: [Filter] = []
            for layer in styleLayers where layer.range.lowerBound < upper && layer.range.upperBound > Double(z) {
                guard let filter = layer.filter else { return nil }
                filters.append(filter)
            }
            return filters
        }
    }

    public let layers: [Layer]
    /// The map version the plan was made for.
    public let fingerprint: String

    public init(map: LoadedMap) {
        let dataLayers = map.style.dataLayers
        var nameCounts: [String: Int] = [:]
        for dataLayer in dataLayers { nameCounts[dataLayer.sourceLayer ?? dataLayer.source, default: 0] += 1 }
        let lowest = map.configuration.minZoom, highest = map.configuration.maxZoom
        var layers: [Layer] = []
        for dataLayer in dataLayers {
            let plain = dataLayer.sourceLayer ?? dataLayer.source
            // Two sources with a layer of the same name: qualify both with their source.
            let name = nameCounts[plain, default: 0] > 1 ? dataLayer.source + "." + plain : plain
            let key = LoadedMap.layerKey(source: dataLayer.source, sourceLayer: dataLayer.sourceLayer)
            var minZoom = highest + 1, maxZoom = lowest - 1
            for z in lowest...max(lowest, highest) {
                let upper = z == highest ? Double.infinity : Double(z + 1)
                if dataLayer.isUsed(fromZoom: Double(z), below: upper) {
                    minZoom = min(minZoom, z)
                    maxZoom = max(maxZoom, z)
                }
            }
            let attributes = dataLayer.attributes.sorted()
            let styleLayers = map.style.layers.filter { dataLayer.layerIDs.contains($0.id) }.map { layer in
                let minzoom = layer.minzoom ?? 0
                return (range: minzoom..<max(minzoom, layer.maxzoom ?? .infinity), filter: layer.filter)
            }
            layers.append(Layer(name: name, source: dataLayer.source, sourceLayer: dataLayer.sourceLayer,
                                attributes: attributes, fields: Self.fieldTypes(attributes, in: map.layers[key]),
                                minZoom: minZoom, maxZoom: maxZoom, styleLayerIDs: dataLayer.layerIDs, key: key, styleLayers: styleLayers))
        }
        self.layers = layers
        self.fingerprint = map.fingerprint
    }

    /// The MVT layer a style layer's data is in.
    public func layerName(source: String, sourceLayer: String?) -> String? {
        layers.first { $0.source == source && $0.sourceLayer == sourceLayer }?.name
    }

    /// The type of each attribute, from the values in the data; stops early once every attribute
    /// has been seen with two types or the data ends.
    static func fieldTypes(_ attributes: [String], in layer: ProjectedLayer?) -> [String: String] {
        var types: [String: String] = [:]
        guard !attributes.isEmpty, let layer else {
            for attribute in attributes { types[attribute] = "String" }
            return types
        }
        var mixed = 0
        for feature in layer.features {
            for attribute in attributes {
                let kind: String
                switch feature.properties[attribute] {
                case .none, .null?: continue
                case .bool?: kind = "Boolean"
                case .int?, .double?: kind = "Number"
                case .string?: kind = "String"
                }
                switch types[attribute] {
                case nil: types[attribute] = kind
                case let known? where known != kind && known != "Mixed":
                    types[attribute] = "Mixed"
                    mixed += 1
                default: break
                }
            }
            if mixed == attributes.count { break }
        }
        for attribute in attributes where types[attribute] == nil { types[attribute] = "String" }
        return types
    }

    /// The MBTiles / TileJSON `vector_layers` entries.
    public var vectorLayers: JSONValue {
        .array(layers.filter { $0.minZoom <= $0.maxZoom }.map { layer in
            ["id": JSONValue(layer.name), "fields": JSONValue(sorting: layer.fields.mapValues(JSONValue.string)),
             "minzoom": JSONValue(layer.minZoom), "maxzoom": JSONValue(layer.maxZoom)]
        })
    }
}
