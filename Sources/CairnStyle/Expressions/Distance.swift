import CairnCore

/// `["distance", geojson]`: the shortest distance in metres between the feature and a GeoJSON
/// object's geometries (0 when they touch or one contains the other), as MapLibre computes it: the
/// feature goes through tile units back to longitude/latitude, and distances use a cheap ruler at
/// the feature's first latitude. NaN (JSON null) without a feature geometry.
struct Distance: StyleExpression {
    /// The GeoJSON's simple parts in longitude/latitude: single points, lines, polygons.
    let parts: [Geometry]
    var type: ExpressionType { .number }
    var children: [any StyleExpression] { [] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesFeature = true
        dependencies.usesGeometry = true
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard let feature = context.geometry?.inTileUnits() else { return .number(.nan) }
        let shape = feature.geometry.mapPoints { FeatureGeometry.lonLat($0, zoom: feature.zoom, tileX: feature.tileX, tileY: feature.tileY) }
        var result = Double.infinity
        switch shape {
        case .points(let points):
            guard let first = points.first else { return .number(.nan) }
            let ruler = CheapRuler(latitude: first.y)
            for part in parts {
                result = min(result, Distance.distance(points: points, isLine: false, to: part, ruler))
                if result == 0 { break }
            }
        case .lines(let lines):
            // MapLibre joins the parts of a multi-line into one line.
            let line = lines.flatMap { $0 }
            guard let first = line.first else { return .number(.nan) }
            let ruler = CheapRuler(latitude: first.y)
            for part in parts {
                result = min(result, Distance.distance(points: line, isLine: true, to: part, ruler))
                if result == 0 { break }
            }
        case .polygons(let polygons):
            guard let first = polygons.first?.first?.first else { return .number(.nan) }
            let ruler = CheapRuler(latitude: first.y)
            for part in parts {
                for polygon in polygons {
                    switch part {
                    case .points(let points):
                        result = min(result, Distance.distance(points: points, isLine: false, toPolygon: polygon, ruler))
                    case .lines(let lines):
                        for line in lines { result = min(result, Distance.distance(points: line, isLine: true, toPolygon: polygon, ruler)) }
                    case .polygons(let others):
                        for other in others { result = min(result, Distance.distance(polygon: polygon, toPolygon: other, ruler)) }
                    }
                    if result == 0 { return .number(0) }
                }
            }
        }
        return .number(result)
    }

    /// Points (or a line through them) to one simple GeoJSON part.
    static func distance(points: [Point], isLine: Bool, to part: Geometry, _ ruler: CheapRuler) -> Double {
        var result = Double.infinity
        switch part {
        case .points(let targets):
            for target in targets {
                if isLine {
                    result = min(result, ruler.distance(from: target, toLine: points))
                } else {
                    for p in points { result = min(result, ruler.distance(p, target)) }
                }
            }
        case .lines(let lines):
            for line in lines {
                if isLine {
                    result = min(result, lineToLine(points, line, ruler))
                } else {
                    for p in points { result = min(result, ruler.distance(from: p, toLine: line)) }
                }
            }
        case .polygons(let polygons):
            for polygon in polygons { result = min(result, distance(points: points, isLine: isLine, toPolygon: polygon, ruler)) }
        }
        return result
    }

    static func lineToLine(_ a: [Point], _ b: [Point], _ ruler: CheapRuler) -> Double {
        var result = Double.infinity
        for i in 0..<max(0, a.count - 1) {
            for j in 0..<max(0, b.count - 1) {
                if PlanarGeometry.segmentsCross(a[i], a[i + 1], b[j], b[j + 1]) { return 0 }
                result = min(result, ruler.distance(segment: a[i], a[i + 1], segment: b[j], b[j + 1]))
            }
        }
        return result
    }

    /// Each closed ring's edges, the closing edge included.
    static func edges(_ rings: [[Point]]) -> [(Point, Point)] {
        var edges: [(Point, Point)] = []
        for ring in rings where !ring.isEmpty {
            var previous = ring[ring.count - 1]
            for point in ring { edges.append((previous, point)); previous = point }
        }
        return edges
    }

    static func distance(points: [Point], isLine: Bool, toPolygon polygon: [[Point]], _ ruler: CheapRuler) -> Double {
        if points.contains(where: { PlanarGeometry.pointInPolygon($0, polygon, onBoundary: true) }) { return 0 }
        var result = Double.infinity
        if isLine {
            let ringEdges = edges(polygon)
            for i in 0..<max(0, points.count - 1) {
                for (q1, q2) in ringEdges {
                    if PlanarGeometry.segmentsCross(points[i], points[i + 1], q1, q2) { return 0 }
                    result = min(result, ruler.distance(segment: points[i], points[i + 1], segment: q1, q2))
                }
            }
        } else {
            for p in points {
                for ring in polygon where !ring.isEmpty {
                    result = min(result, ruler.distance(from: p, toLine: [ring[ring.count - 1], ring[0]]),
                                 ruler.distance(from: p, toLine: ring))
                }
            }
        }
        return result
    }

    static func distance(polygon: [[Point]], toPolygon other: [[Point]], _ ruler: CheapRuler) -> Double {
        var box = PlanarGeometry.Box(), otherBox = PlanarGeometry.Box()
        for ring in polygon { for p in ring { box.extend(p) } }
        for ring in other { for p in ring { otherBox.extend(p) } }
        let (inner, outer) = box.isStrictlyInside(otherBox) ? (polygon, other) : (other, polygon)
        for ring in inner { for p in ring where PlanarGeometry.pointInPolygon(p, outer, onBoundary: true) { return 0 } }
        var result = Double.infinity
        let otherEdges = edges(other)
        for (p1, p2) in edges(polygon) {
            for (q1, q2) in otherEdges {
                if PlanarGeometry.segmentsCross(p1, p2, q1, q2) { return 0 }
                result = min(result, ruler.distance(segment: p1, p2, segment: q1, q2))
            }
        }
        return result
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        guard call.argumentCount == 1 else {
            throw call.issue("\"distance\" expects exactly one GeoJSON argument, got \(call.argumentCount)")
        }
        guard let geometries = GeoJSONGeometry.geometries(in: call.items[1]) else {
            throw StyleIssue(call.path(of: 1), "\"distance\" expects a GeoJSON object (geometry, Feature or FeatureCollection)")
        }
        var parts: [Geometry] = []
        for geometry in geometries {
            switch geometry.coordinates {
            case .points(let points): parts += points.map { .points([$0]) }
            case .lines(let lines): parts += lines.map { .lines([$0]) }
            case .polygons(let polygons): parts += polygons.map { .polygons([$0]) }
            }
        }
        return Distance(parts: parts)
    }
}
