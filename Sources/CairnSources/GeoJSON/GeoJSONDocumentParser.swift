import CairnCore
import Foundation

/// Turns the JSONSerialization tree of a GeoJSON document into features (see ``GeoJSONReader``
/// for the mapping rules). Paths in error messages are only built when an error is thrown.
struct GeoJSONDocumentParser {
    let path: String
    let bbox: BoundingBox?
    let attributes: Set<String>?
    private(set) var features: [Feature] = []

    init(path: String, query: LayerQuery) {
        self.path = path
        self.bbox = query.bbox
        self.attributes = query.attributes
    }

    /// Collects the features into ``features`` and returns the CRS the document declares.
    mutating func parse(_ root: Any) throws -> CRSDefinition? {
        guard let object = root as? [String: Any] else {
            throw malformed("(root): expected a GeoJSON object, found \(GeoJSONJSONValues.describe(root))")
        }
        let crs = try parseCRS(object["crs"])
        guard let type = object["type"] as? String else {
            throw malformed("type: expected a string, found \(GeoJSONJSONValues.describe(object["type"]))")
        }
        switch type {
        case "FeatureCollection":
            guard let list = object["features"] as? [Any] else {
                throw malformed("features: expected an array, found \(GeoJSONJSONValues.describe(object["features"]))")
            }
            features.reserveCapacity(list.count)
            for index in list.indices {
                try appendFeature(list[index], path: "features[\(index)]")
            }
        case "Feature":
            try appendFeature(object, path: "")
        default:
            var parts = GeoJSONGeometryParts()
            try parseGeometry(object, path: { "" }, into: &parts)
            for geometry in keptGeometries(parts) { features.append(Feature(geometry: geometry)) }
        }
        return crs
    }

    private mutating func appendFeature(_ value: Any, path featurePath: String) throws {
        guard let object = value as? [String: Any] else {
            throw malformed("\(featurePath): expected a Feature object, found \(GeoJSONJSONValues.describe(value))")
        }
        guard let type = object["type"] as? String, type == "Feature" else {
            throw malformed("\(join(featurePath, "type")): expected \"Feature\"")
        }
        let propertiesValue = object["properties"]
        if let propertiesValue, !(propertiesValue is [String: Any]), !GeoJSONJSONValues.isNull(propertiesValue) {
            throw malformed("\(join(featurePath, "properties")): expected an object or null, found \(GeoJSONJSONValues.describe(propertiesValue))")
        }
        guard let geometryValue = object["geometry"], !GeoJSONJSONValues.isNull(geometryValue) else { return }
        var parts = GeoJSONGeometryParts()
        try parseGeometry(geometryValue, path: { join(featurePath, "geometry") }, into: &parts)

        var id: Int64?
        var otherID: PropertyValue?
        if let idValue = object["id"], !GeoJSONJSONValues.isNull(idValue) {
            if idValue is String {
                otherID = GeoJSONJSONValues.propertyValue(idValue)
            } else if let number = idValue as? NSNumber, !GeoJSONJSONValues.isBoolean(number) {
                if GeoJSONJSONValues.isIntegral(number) {
                    id = number.int64Value
                } else {
                    otherID = GeoJSONJSONValues.propertyValue(idValue)
                }
            } else {
                throw malformed("\(join(featurePath, "id")): expected a string or a number, found \(GeoJSONJSONValues.describe(idValue))")
            }
        }
        let kept = keptGeometries(parts)
        if kept.isEmpty { return }
        var properties = convertProperties(propertiesValue as? [String: Any] ?? [:])
        if let otherID, attributes?.contains("$id") ?? true { properties["$id"] = otherID }
        for geometry in kept {
            features.append(Feature(id: id, geometry: geometry, properties: properties))
        }
    }

    private func convertProperties(_ object: [String: Any]) -> [String: PropertyValue] {
        var properties: [String: PropertyValue] = [:]
        if let attributes {
            for key in attributes {
                if let value = object[key] { properties[key] = GeoJSONJSONValues.propertyValue(value) }
            }
        } else {
            properties.reserveCapacity(object.count)
            for (key, value) in object { properties[key] = GeoJSONJSONValues.propertyValue(value) }
        }
        return properties
    }

    /// One geometry per kind present, without those outside the query box.
    private func keptGeometries(_ parts: GeoJSONGeometryParts) -> [Geometry] {
        let geometries = parts.geometries
        guard let bbox else { return geometries }
        return geometries.filter { bbox.intersects($0.boundingBox) }
    }

    // MARK: - Geometry

    private func parseGeometry(_ value: Any, path: () -> String, into parts: inout GeoJSONGeometryParts) throws {
        guard let object = value as? [String: Any] else {
            throw malformed("\(path()): expected a geometry object, found \(GeoJSONJSONValues.describe(value))")
        }
        guard let type = object["type"] as? String else {
            throw malformed("\(join(path(), "type")): expected a string, found \(GeoJSONJSONValues.describe(object["type"]))")
        }
        if type == "GeometryCollection" {
            guard let members = object["geometries"] as? [Any] else {
                throw malformed("\(join(path(), "geometries")): expected an array, found \(GeoJSONJSONValues.describe(object["geometries"]))")
            }
            for index in members.indices {
                try parseGeometry(members[index], path: { "\(join(path(), "geometries"))[\(index)]" }, into: &parts)
            }
            return
        }
        let coordinates = object["coordinates"]
        func coordinatesPath() -> String { join(path(), "coordinates") }
        switch type {
        case "Point":
            guard let coordinates, let point = GeoJSONJSONValues.position(coordinates) else {
                throw malformed("\(coordinatesPath()): expected a position [x, y], found \(GeoJSONJSONValues.describe(coordinates))")
            }
            parts.hasPoints = true
            parts.points.append(point)
        case "MultiPoint":
            parts.hasPoints = true
            parts.points.append(contentsOf: try positions(coordinates, path: coordinatesPath))
        case "LineString":
            parts.hasLines = true
            parts.lines.append(try positions(coordinates, path: coordinatesPath))
        case "MultiLineString":
            parts.hasLines = true
            parts.lines.append(contentsOf: try positionLists(coordinates, what: "an array of lines", path: coordinatesPath))
        case "Polygon":
            parts.hasPolygons = true
            parts.polygons.append(try positionLists(coordinates, what: "an array of linear rings", path: coordinatesPath))
        case "MultiPolygon":
            guard let polygons = coordinates as? [Any] else {
                throw malformed("\(coordinatesPath()): expected an array of polygons, found \(GeoJSONJSONValues.describe(coordinates))")
            }
            parts.hasPolygons = true
            parts.polygons.reserveCapacity(parts.polygons.count + polygons.count)
            for index in polygons.indices {
                parts.polygons.append(try positionLists(polygons[index], what: "a polygon (an array of linear rings)",
                                                        path: { "\(coordinatesPath())[\(index)]" }))
            }
        default:
            throw SourceError(.unsupportedGeometry, path: self.path,
                              "\(join(path(), "type")): unknown geometry type \"\(type)\"")
        }
    }

    private func positionLists(_ value: Any?, what: String, path: () -> String) throws -> [[Point]] {
        guard let lists = value as? [Any] else {
            throw malformed("\(path()): expected \(what), found \(GeoJSONJSONValues.describe(value))")
        }
        var result: [[Point]] = []
        result.reserveCapacity(lists.count)
        for index in lists.indices {
            result.append(try positions(lists[index], path: { "\(path())[\(index)]" }))
        }
        return result
    }

    private func positions(_ value: Any?, path: () -> String) throws -> [Point] {
        guard let list = value as? [Any] else {
            throw malformed("\(path()): expected an array of positions, found \(GeoJSONJSONValues.describe(value))")
        }
        var points: [Point] = []
        points.reserveCapacity(list.count)
        for index in list.indices {
            guard let point = GeoJSONJSONValues.position(list[index]) else {
                throw malformed("\(path()): expected an array of positions, but element \(index) is "
                                + "\(GeoJSONJSONValues.describe(list[index])), not a position [x, y]")
            }
            points.append(point)
        }
        return points
    }

    // MARK: - CRS

    private func parseCRS(_ value: Any?) throws -> CRSDefinition? {
        guard let value, !GeoJSONJSONValues.isNull(value) else { return .wgs84 }
        guard let object = value as? [String: Any] else {
            throw malformed("crs: expected an object, found \(GeoJSONJSONValues.describe(value))")
        }
        let properties = object["properties"] as? [String: Any]
        switch (object["type"] as? String)?.lowercased() {
        case "name":
            guard let name = properties?["name"] as? String else {
                throw malformed("crs.properties.name: expected a string, found \(GeoJSONJSONValues.describe(properties?["name"]))")
            }
            return CRSDefinition(parsing: name)
        case "epsg":
            if let number = properties?["code"] as? NSNumber, !GeoJSONJSONValues.isBoolean(number) {
                return .epsg(number.intValue)
            }
            if let text = properties?["code"] as? String, let code = Int(text) { return .epsg(code) }
            throw malformed("crs.properties.code: expected an EPSG code, found \(GeoJSONJSONValues.describe(properties?["code"]))")
        case "link":
            return nil
        default:
            throw malformed("crs.type: expected \"name\", \"EPSG\" or \"link\", found \(GeoJSONJSONValues.describe(object["type"]))")
        }
    }

    // MARK: - Helpers

    private func malformed(_ message: String) -> SourceError {
        SourceError(.malformed, path: path, message)
    }
}

/// "features[3]" + "geometry" -> "features[3].geometry"; the root object has the empty path.
private func join(_ base: String, _ member: String) -> String {
    base.isEmpty ? member : base + "." + member
}
