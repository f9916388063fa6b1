import CairnCore

/// What one GeoJSON geometry (or a flattened GeometryCollection) holds, by kind.
struct GeoJSONGeometryParts {
    var hasPoints = false
    var hasLines = false
    var hasPolygons = false
    var points: [Point] = []
    var lines: [[Point]] = []
    var polygons: [[[Point]]] = []

    /// One geometry per kind present, in the order points, lines, polygons.
    var geometries: [Geometry] {
        var result: [Geometry] = []
        if hasPoints { result.append(.points(points)) }
        if hasLines { result.append(.lines(lines)) }
        if hasPolygons { result.append(.polygons(polygons)) }
        return result
    }
}
