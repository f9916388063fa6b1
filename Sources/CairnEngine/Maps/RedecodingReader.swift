import CairnCore
import CairnSources

/// A Unicode-native reader (GeoJSON, GeoPackage) of data whose text was converted carelessly: legacy
/// TCVN3/VNI bytes stored as windows-1252 characters. Its strings are decoded again as the source says.
struct RedecodingReader: LayerReader {
    let base: any LayerReader
    let encoding: LegacyTextEncoding

    func layerNames() throws -> [String] { try base.layerNames() }

    func read(_ query: LayerQuery) throws -> LayerData {
        var data = try base.read(query)
        for index in data.features.indices {
            for (key, value) in data.features[index].properties {
                if case .string(let text) = value { data.features[index].properties[key] = .string(encoding.redecode(text)) }
            }
        }
        return data
    }
}
