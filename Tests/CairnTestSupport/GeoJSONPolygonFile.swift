import Foundation

/// The Polygon and MultiPolygon features of a GeoJSON file, read with Foundation's JSON parser
/// (test support cannot use Cairn's reader), for writing the same shapes in other formats.
public enum GeoJSONPolygonFile {
    /// Each feature's properties (strings as they are, other values as their JSON text; nulls left
    /// out) and polygons (each an outer ring and its holes, rings as written). Other geometries are
    /// skipped.
    public static func read(_ path: String) throws
        -> [(properties: [String: String], polygons: [[[OSMPBFWriter.Coordinate]]])]
    {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let features = root["features"] as? [[String: Any]]
        else { throw ReadError(path: path, "not a FeatureCollection") }
        return try features.compactMap { feature in
            guard let geometry = feature["geometry"] as? [String: Any], let type = geometry["type"] as? String,
                  let coordinates = geometry["coordinates"]
            else { return nil }
            let polygons: [[[OSMPBFWriter.Coordinate]]]
            switch type {
            case "Polygon": polygons = [try polygon(coordinates, path)]
            case "MultiPolygon":
                guard let parts = coordinates as? [Any] else { throw ReadError(path: path, "bad MultiPolygon") }
                polygons = try parts.map { try polygon($0, path) }
            default: return nil
            }
            var properties: [String: String] = [:]
            for (key, value) in feature["properties"] as? [String: Any] ?? [:] {
                if let text = value as? String {
                    properties[key] = text
                } else if !(value is NSNull) {
                    properties[key] = "\(value)"
                }
            }
            return (properties, polygons)
        }
    }

    private static func polygon(_ value: Any, _ path: String) throws -> [[OSMPBFWriter.Coordinate]] {
        guard let rings = value as? [[[Double]]] else { throw ReadError(path: path, "bad polygon coordinates") }
        return try rings.map { ring in
            try ring.map { position in
                guard position.count >= 2 else { throw ReadError(path: path, "position with fewer than 2 numbers") }
                return (lon: position[0], lat: position[1])
            }
        }
    }

    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
        init(path: String, _ message: String) { description = "\(path): \(message)" }
    }
}
