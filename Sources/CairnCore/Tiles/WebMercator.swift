import Foundation

/// Spherical Web Mercator formulas, used to convert between EPSG:3857 and
/// longitude/latitude where a full PROJ pipeline is not needed (TileJSON bounds, bbox options).
public enum WebMercator {
    public static let earthRadius = 6_378_137.0
    public static let maxLatitude = 85.051128779806604

    public static func project(longitude: Double, latitude: Double) -> Point {
        let lat = min(max(latitude, -maxLatitude), maxLatitude)
        let x = longitude * .pi / 180 * earthRadius
        let y = log(tan(.pi / 4 + lat * .pi / 360)) * earthRadius
        return Point(x, y)
    }

    public static func unproject(_ point: Point) -> (longitude: Double, latitude: Double) {
        let longitude = point.x / earthRadius * 180 / .pi
        let latitude = (2 * atan(exp(point.y / earthRadius)) - .pi / 2) * 180 / .pi
        return (longitude, latitude)
    }

    /// Box in degrees (west, south, east, north) → box in EPSG:3857 metres.
    public static func project(_ box: BoundingBox) -> BoundingBox {
        let a = project(longitude: box.minX, latitude: box.minY)
        let b = project(longitude: box.maxX, latitude: box.maxY)
        return BoundingBox(minX: a.x, minY: a.y, maxX: b.x, maxY: b.y)
    }

    public static func unproject(_ box: BoundingBox) -> BoundingBox {
        let a = unproject(Point(box.minX, box.minY))
        let b = unproject(Point(box.maxX, box.maxY))
        return BoundingBox(minX: a.longitude, minY: a.latitude, maxX: b.longitude, maxY: b.latitude)
    }
}
