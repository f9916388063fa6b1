/// A feature's shape. Single and multi geometries share one case each, since
/// styling and rendering treat a Polygon as a MultiPolygon of one.
public enum Geometry: Sendable, Equatable {
    /// Point or MultiPoint.
    case points([Point])
    /// LineString or MultiLineString: each element is one line.
    case lines([[Point]])
    /// Polygon or MultiPolygon: each element is one polygon, its first ring the
    /// exterior and the others holes.
    case polygons([[[Point]]])

    /// The kind MapLibre's `geometry-type` expression reports.
    public var kind: GeometryKind {
        switch self {
        case .points: return .point
        case .lines: return .lineString
        case .polygons: return .polygon
        }
    }

    public var boundingBox: BoundingBox {
        var box = BoundingBox.empty
        forEachPoint { box.extend(with: $0) }
        return box
    }

    public var isEmpty: Bool {
        switch self {
        case .points(let points): return points.isEmpty
        case .lines(let lines): return lines.allSatisfy { $0.isEmpty }
        case .polygons(let polygons): return polygons.allSatisfy { $0.first?.isEmpty ?? true }
        }
    }

    @inlinable
    public func forEachPoint(_ body: (Point) -> Void) {
        switch self {
        case .points(let points):
            for p in points { body(p) }
        case .lines(let lines):
            for line in lines { for p in line { body(p) } }
        case .polygons(let polygons):
            for polygon in polygons { for ring in polygon { for p in ring { body(p) } } }
        }
    }

    /// The same shape with every point transformed.
    @inlinable
    public func mapPoints(_ transform: (Point) throws -> Point) rethrows -> Geometry {
        switch self {
        case .points(let points):
            return .points(try points.map(transform))
        case .lines(let lines):
            return .lines(try lines.map { try $0.map(transform) })
        case .polygons(let polygons):
            return .polygons(try polygons.map { try $0.map { try $0.map(transform) } })
        }
    }

    /// Number of vertices, for render budgets.
    public var pointCount: Int {
        switch self {
        case .points(let points): return points.count
        case .lines(let lines): return lines.reduce(0) { $0 + $1.count }
        case .polygons(let polygons): return polygons.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
        }
    }
}

/// The geometry type names of the MapLibre style spec.
public enum GeometryKind: String, Sendable {
    case point = "Point"
    case lineString = "LineString"
    case polygon = "Polygon"
}
