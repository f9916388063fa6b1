import CairnCore
import CairnProj

/// Transforms a box by transforming `densifyPoints` points along each edge (corners included)
/// and taking the extent of the results, as Mapnik does with PROJ_ENVELOPE_POINTS, so curved
/// edges (e.g. a TM box seen in Web Mercator) are covered. Points that fail are ignored;
/// throws when none succeed or the transformation cannot be built.
/// EPSG:4326 <-> EPSG:3857 uses the exact Web Mercator formulas (both are monotonic per axis).
/// `context` must belong to the calling thread.
public func transformBoundingBox(
    _ box: BoundingBox, from source: CRSDefinition, to target: CRSDefinition,
    densifyPoints: Int = 21, context: ProjContext? = nil
) throws -> BoundingBox {
    if box.isEmpty || source == target { return box }
    if source == .wgs84 && target == .webMercator { return WebMercator.project(box) }
    if source == .webMercator && target == .wgs84 { return WebMercator.unproject(box) }

    let perEdge = max(densifyPoints, 2)
    var points: [Point] = []
    points.reserveCapacity(4 * perEdge)
    for step in 0..<perEdge {
        let t = Double(step) / Double(perEdge - 1)
        let x = box.minX + t * box.width
        let y = box.minY + t * box.height
        points.append(Point(x, box.minY))
        points.append(Point(x, box.maxY))
        points.append(Point(box.minX, y))
        points.append(Point(box.maxX, y))
    }
    let transformation = try ProjTransformation(from: source, to: target, context: context ?? .forCurrentThread())
    points.withUnsafeMutableBufferPointer { _ = $0.transformInPlace(with: transformation) }

    var result = BoundingBox.empty
    for point in points where point.x.isFinite && point.y.isFinite {
        result.extend(with: point)
    }
    if result.isEmpty {
        throw transformation.pointError(action: "transforming bounding box \(box): no edge point could be transformed")
    }
    return result
}
