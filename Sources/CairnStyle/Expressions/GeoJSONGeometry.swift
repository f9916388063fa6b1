import CairnCore

/// The GeoJSON argument of `within` and `distance` (a geometry, a Feature or a FeatureCollection),
/// in longitude/latitude degrees, split into its simple parts.
struct GeoJSONGeometry: Sendable {
    /// Points (one per part), lines or polygons, each in the `Geometry` case of its kind.
    let coordinates: Geometry
    let kind: GeometryKind

    /// The kind a GeoJSON geometry type name stands for (Multi types included).
    static func kind(of type: String) -> GeometryKind? {
        switch type {
        case "Point", "MultiPoint": return .point
        case "LineString", "MultiLineString": return .lineString
        case "Polygon", "MultiPolygon": return .polygon
        default: return nil
        }
    }

    /// A GeoJSON geometry object; nil when it is not one with valid coordinates.
    init?(json: JSONValue) {
        guard let type = json["type"]?.stringValue, let kind = GeoJSONGeometry.kind(of: type),
              let coordinates = json["coordinates"] else { return nil }
        func position(_ value: JSONValue) -> Point? {
            guard let pair = value.arrayValue, pair.count >= 2, let x = pair[0].numberValue, let y = pair[1].numberValue else { return nil }
            return Point(x, y)
        }
        func positions(_ value: JSONValue) -> [Point]? {
            guard let items = value.arrayValue else { return nil }
            let points = items.compactMap(position)
            return points.count == items.count ? points : nil
        }
        func rings(_ value: JSONValue) -> [[Point]]? {
            guard let items = value.arrayValue else { return nil }
            let lines = items.compactMap(positions)
            return lines.count == items.count ? lines : nil
        }
        self.kind = kind
        switch type {
        case "Point": guard let p = position(coordinates) else { return nil }; self.coordinates = .points([p])
        case "MultiPoint": guard let p = positions(coordinates) else { return nil }; self.coordinates = .points(p)
        case "LineString": guard let l = positions(coordinates) else { return nil }; self.coordinates = .lines([l])
        case "MultiLineString": guard let l = rings(coordinates) else { return nil }; self.coordinates = .lines(l)
        case "Polygon": guard let r = rings(coordinates) else { return nil }; self.coordinates = .polygons([r])
        default:
            guard let items = coordinates.arrayValue else { return nil }
            let polygons = items.compactMap(rings)
            guard polygons.count == items.count else { return nil }
            self.coordinates = .polygons(polygons)
        }
    }

    /// Every geometry of a GeoJSON object: a geometry, a Feature or a FeatureCollection's features.
    static func geometries(in json: JSONValue) -> [GeoJSONGeometry]? {
        switch json["type"]?.stringValue {
        case "FeatureCollection":
            guard let features = json["features"]?.arrayValue else { return nil }
            return features.compactMap { $0["geometry"].flatMap(GeoJSONGeometry.init(json:)) }
        case "Feature":
            return json["geometry"].flatMap(GeoJSONGeometry.init(json:)).map { [$0] }
        default:
            return GeoJSONGeometry(json: json).map { [$0] }
        }
    }
}
