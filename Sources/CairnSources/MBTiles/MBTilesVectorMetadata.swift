import CairnCore
import Foundation

/// The `metadata` table of an MBTiles file of vector tiles (MBTiles 1.3), as a style needs it.
public struct MBTilesVectorMetadata: Sendable {
    /// One entry of the `json` member's `vector_layers`.
    public struct VectorLayer: Sendable, Equatable {
        public var id: String
        /// Field name to declared type ("String", "Number", "Boolean").
        public var fields: [String: String]
        public var minzoom: Int?
        public var maxzoom: Int?
    }

    public var name: String?
    /// `pbf` for Mapbox Vector Tiles.
    public var format: String
    public var minzoom: Int
    public var maxzoom: Int
    /// West, south, east, north in degrees; nil when the file does not say.
    public var bounds: BoundingBox?
    /// Longitude, latitude and zoom.
    public var center: (longitude: Double, latitude: Double, zoom: Double)?
    public var attribution: String?
    public var vectorLayers: [VectorLayer]

    /// Parses the name/value rows. `path` names the file in errors.
    init(rows: [String: String], path: String) throws {
        guard let format = rows["format"] else {
            throw SourceError(.unsupportedFormat, path: path, "MBTiles metadata has no \"format\"; expected format pbf (vector tiles)")
        }
        guard format.lowercased() == "pbf" else {
            throw SourceError(.unsupportedFormat, path: path, "MBTiles tiles are \(format), expected format pbf (Mapbox Vector Tiles)")
        }
        self.format = "pbf"
        name = rows["name"]
        attribution = rows["attribution"]

        func zoom(_ key: String) throws -> Int? {
            guard let text = rows[key]?.trimmingCharacters(in: .whitespaces) else { return nil }
            guard let value = Double(text), value >= 0, value <= 30, value.rounded() == value else {
                throw SourceError(.malformed, path: path, "MBTiles metadata \(key) is \"\(text)\", expected an integer from 0 to 30")
            }
            return Int(value)
        }
        var minzoom = try zoom("minzoom")
        var maxzoom = try zoom("maxzoom")

        if let text = rows["bounds"] {
            let parts = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 4, parts[0] < parts[2], parts[1] < parts[3] else {
                throw SourceError(.malformed, path: path, "MBTiles metadata bounds is \"\(text)\", expected west,south,east,north in degrees")
            }
            bounds = BoundingBox(minX: parts[0], minY: parts[1], maxX: parts[2], maxY: parts[3])
        }
        if let text = rows["center"] {
            let parts = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            if parts.count >= 2 { center = (parts[0], parts[1], parts.count > 2 ? parts[2] : Double(minzoom ?? 0)) }
        }

        vectorLayers = []
        if let json = rows["json"] {
            let root: JSONValue
            do {
                root = try JSONParser.parse(Array(json.utf8))
            } catch {
                throw SourceError(.malformed, path: path, "MBTiles metadata json is not valid JSON: \(error.message) at \(error.location)")
            }
            guard let layers = root["vector_layers"]?.arrayValue else {
                throw SourceError(.malformed, path: path, "MBTiles metadata json has no vector_layers array")
            }
            for (index, layer) in layers.enumerated() {
                guard let id = layer["id"]?.stringValue else {
                    throw SourceError(.malformed, path: path, "MBTiles metadata json: vector_layers[\(index)] has no string id")
                }
                var fields: [String: String] = [:]
                for member in layer["fields"]?.objectMembers ?? [] {
                    fields[member.key] = member.value.stringValue ?? member.value.text
                }
                func zoom(_ key: String) -> Int? {
                    layer[key]?.numberValue.flatMap { $0.isFinite && abs($0) < 1e9 ? Int($0) : nil }
                }
                vectorLayers.append(VectorLayer(id: id, fields: fields, minzoom: zoom("minzoom"), maxzoom: zoom("maxzoom")))
            }
            // MBTiles 1.3 makes these required, but older writers put the range only in vector_layers.
            if minzoom == nil { minzoom = vectorLayers.compactMap(\.minzoom).min() }
            if maxzoom == nil { maxzoom = vectorLayers.compactMap(\.maxzoom).max() }
        }
        self.minzoom = minzoom ?? 0
        self.maxzoom = maxzoom ?? 14
        if self.minzoom > self.maxzoom {
            throw SourceError(.malformed, path: path, "MBTiles metadata minzoom \(self.minzoom) is above maxzoom \(self.maxzoom)")
        }
    }

    /// The ids of `vector_layers`, in file order.
    public var layerNames: [String] { vectorLayers.map(\.id) }
}
