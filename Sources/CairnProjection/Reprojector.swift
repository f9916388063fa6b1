import CairnCore
import CairnProj

/// The features that survived reprojection, and how many did not.
public struct Reprojection: Sendable {
    /// The transformed features, in their original order.
    public var features: [Feature]
    /// Features dropped because at least one of their points could not be transformed
    /// (outside the projection's domain, or not finite to begin with).
    public var droppedCount: Int

    public init(features: [Feature], droppedCount: Int) {
        self.features = features
        self.droppedCount = droppedCount
    }
}

/// Reprojects a layer's features from its own CRS into the grid CRS once, at load.
///
/// EPSG:4326 -> EPSG:3857 uses the spherical Web Mercator formulas (`CairnCore.WebMercator`,
/// latitudes clamped to ±85.0511°); everything else goes through PROJ with all coordinates
/// of the layer flattened into one contiguous buffer and transformed in one `proj_trans_generic` call.
public struct Reprojector: Sendable {
    public let source: CRSDefinition
    public let target: CRSDefinition

    public init(from source: CRSDefinition, to target: CRSDefinition) {
        self.source = source
        self.target = target
    }

    /// Source and target are the same definition: features pass through unchanged.
    public var isIdentity: Bool { source == target }

    /// The transform is EPSG:4326 -> EPSG:3857 and needs no PROJ.
    public var usesWebMercatorFastPath: Bool { source == .wgs84 && target == .webMercator }

    /// Reprojects `features`, dropping the ones that fail. Throws only when no transformation
    /// between the two CRSs can be built (unknown code, unparsable WKT).
    /// `context` must belong to the calling thread.
    public func reproject(_ features: [Feature], context: ProjContext? = nil) throws -> Reprojection {
        if isIdentity { return Reprojection(features: features, droppedCount: 0) }

        var flat = FlatCoordinates(features)
        if usesWebMercatorFastPath {
            flat.points.withUnsafeMutableBufferPointer { points in
                for index in points.indices {
                    let p = points[index]
                    points[index] = WebMercator.project(longitude: p.x, latitude: p.y)
                }
            }
        } else {
            let transformation = try ProjTransformation(
                from: source, to: target, context: context ?? .forCurrentThread())
            flat.points.withUnsafeMutableBufferPointer { points in
                _ = points.transformInPlace(with: transformation)
            }
        }
        return flat.rebuild(features)
    }
}

/// Every coordinate of a list of features in one array, in `Geometry.forEachPoint` order.
struct FlatCoordinates {
    var points: [Point]

    init(_ features: [Feature]) {
        var total = 0
        for feature in features { total += feature.geometry.pointCount }
        var points: [Point] = []
        points.reserveCapacity(total)
        for feature in features {
            feature.geometry.forEachPoint { points.append($0) }
        }
        self.points = points
    }

    /// The features with their geometry rebuilt from `points`; features with a non-finite point are dropped.
    func rebuild(_ features: [Feature]) -> Reprojection {
        var output: [Feature] = []
        output.reserveCapacity(features.count)
        var dropped = 0
        points.withUnsafeBufferPointer { points in
            var cursor = 0
            for feature in features {
                let count = feature.geometry.pointCount
                let range = cursor..<(cursor + count)
                cursor += count
                guard Self.allFinite(points, range) else {
                    dropped += 1
                    continue
                }
                var rebuilt = feature
                var next = range.lowerBound
                func take(_ n: Int) -> [Point] {
                    defer { next += n }
                    return Array(points[next..<(next + n)])
                }
                switch feature.geometry {
                case .points(let original):
                    rebuilt.geometry = .points(take(original.count))
                case .lines(let lines):
                    rebuilt.geometry = .lines(lines.map { take($0.count) })
                case .polygons(let polygons):
                    rebuilt.geometry = .polygons(polygons.map { $0.map { take($0.count) } })
                }
                output.append(rebuilt)
            }
        }
        return Reprojection(features: output, droppedCount: dropped)
    }

    private static func allFinite(_ points: UnsafeBufferPointer<Point>, _ range: Range<Int>) -> Bool {
        for index in range where !points[index].x.isFinite || !points[index].y.isFinite {
            return false
        }
        return true
    }
}
