import CairnCore
import Foundation

/// `["within", geojson]`: whether the feature (points or lines) lies inside the polygons of a GeoJSON
/// object, computed in tile units as MapLibre does (so a point on the boundary is outside). Features
/// without geometry, and polygons, are never within.
struct Within: StyleExpression {
    /// Polygons in longitude/latitude.
    let polygons: [[[Point]]]
    var type: ExpressionType { .boolean }
    var children: [any StyleExpression] { [] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesFeature = true
        dependencies.usesGeometry = true
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard let feature = context.geometry?.inTileUnits() else { return .boolean(false) }
        var polygonBox = PlanarGeometry.Box()
        let tilePolygons = polygons.map { $0.map { $0.map { lonLat in
            let p = FeatureGeometry.tileUnits(lonLat, zoom: feature.zoom)
            polygonBox.extend(p)
            return p
        } } }
        let worldSize = pow(2, Double(feature.zoom)) * FeatureGeometry.extent
        // Features across the antimeridian from the polygons are shifted by a world width to meet them.
        func shifted(_ p: Point) -> Point {
            guard p.x < polygonBox.minX || p.x > polygonBox.maxX else { return p }
            let half = worldSize / 2
            var shift = p.x - polygonBox.minX > half ? -worldSize : polygonBox.minX - p.x > half ? worldSize : 0
            if shift == 0 {
                shift = p.x - polygonBox.maxX > half ? -worldSize : polygonBox.maxX - p.x > half ? worldSize : 0
            }
            return Point(p.x + shift, p.y)
        }
        func insideAny(_ test: ([[Point]]) -> Bool) -> Bool { tilePolygons.contains(where: test) }
        switch feature.geometry {
        case .points(let points):
            var box = PlanarGeometry.Box()
            let moved = points.map { p in let s = shifted(p); box.extend(s); return s }
            guard box.isStrictlyInside(polygonBox) else { return .boolean(false) }
            return .boolean(moved.allSatisfy { p in insideAny { PlanarGeometry.pointInPolygon(p, $0) } })
        case .lines(var lines):
            var box = PlanarGeometry.Box()
            for line in lines { for p in line { box.extend(p) } }
            if box.maxX - box.minX <= worldSize / 2 {
                box = PlanarGeometry.Box()
                lines = lines.map { $0.map { p in let s = shifted(p); box.extend(s); return s } }
            }
            guard box.isStrictlyInside(polygonBox) else { return .boolean(false) }
            return .boolean(lines.allSatisfy { line in insideAny { PlanarGeometry.lineInPolygon(line, $0) } })
        case .polygons:
            return .boolean(false)
        }
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        guard call.argumentCount == 1 else {
            throw call.issue("\"within\" expects exactly one GeoJSON argument, got \(call.argumentCount)")
        }
        let polygons = (GeoJSONGeometry.geometries(in: call.items[1]) ?? []).flatMap { geometry -> [[[Point]]] in
            if case .polygons(let polygons) = geometry.coordinates { return polygons }
            return []
        }
        guard !polygons.isEmpty else {
            throw StyleIssue(call.path(of: 1), "\"within\" expects a GeoJSON object with Polygon or MultiPolygon geometry")
        }
        return Within(polygons: polygons)
    }
}
