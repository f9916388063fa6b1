import CairnCore
import Foundation

/// A feature's shape for `within` and `distance`, in MapLibre's tile units: Web Mercator world
/// coordinates scaled so that one tile of zoom `tileZoom` spans `extent` units (x east, y south),
/// rounded to whole units as a vector tile stores them.
public struct FeatureGeometry: Sendable {
    public static let extent = 8192.0

    /// Points, lines or polygons in tile units.
    public var geometry: Geometry
    public var tileZoom: Int
    /// The tile the feature was read from: positions go back to longitude/latitude through it, as
    /// in MapLibre (the last digits of tiny distances depend on it).
    public var tileX: Int
    public var tileY: Int

    public init(tileUnits geometry: Geometry, tileZoom: Int, tileX: Int = 0, tileY: Int = 0) {
        self.geometry = geometry
        self.tileZoom = tileZoom
        self.tileX = tileX
        self.tileY = tileY
    }

    /// A shape given in longitude/latitude degrees, quantised to tile units of `tileZoom`.
    public init(lonLat geometry: Geometry, tileZoom: Int, tileX: Int = 0, tileY: Int = 0) {
        self.init(tileUnits: geometry.mapPoints { FeatureGeometry.tileUnits($0, zoom: tileZoom) },
                  tileZoom: tileZoom, tileX: tileX, tileY: tileY)
    }

    /// A shape given in EPSG:3857 metres, quantised to tile units of `tileZoom`.
    public init(webMercatorMetres geometry: Geometry, tileZoom: Int) {
        let half = 20_037_508.342789244
        let scale = pow(2, Double(tileZoom)) * FeatureGeometry.extent
        self.init(tileUnits: geometry.mapPoints { point in
            Point(((point.x + half) / (2 * half) * scale).rounded(), ((half - point.y) / (2 * half) * scale).rounded())
        }, tileZoom: tileZoom)
    }

    /// Tile units of a longitude/latitude position (MapLibre's `getTileCoordinates`).
    static func tileUnits(_ lonLat: Point, zoom: Int) -> Point {
        let x = (180 + lonLat.x) / 360
        let y = (180 - (180 / Double.pi) * log(tan(Double.pi / 4 + lonLat.y * Double.pi / 360))) / 360
        let scale = pow(2, Double(zoom)) * extent
        return Point((x * scale).rounded(), (y * scale).rounded())
    }

    /// Longitude/latitude of a position in tile units (MapLibre's `getLngLatFromTileCoord`).
    func lonLat(_ units: Point) -> Point {
        let tiles = pow(2, Double(tileZoom))
        let localX = units.x - Double(tileX) * FeatureGeometry.extent, localY = units.y - Double(tileY) * FeatureGeometry.extent
        let x = (localX / FeatureGeometry.extent + Double(tileX)) / tiles
        let y = (localY / FeatureGeometry.extent + Double(tileY)) / tiles
        let lat = 360 / Double.pi * atan(exp((180 - y * 360) * Double.pi / 180)) - 90
        return Point(x * 360 - 180, lat)
    }

    /// The width of the world in tile units.
    var worldSize: Double { pow(2, Double(tileZoom)) * FeatureGeometry.extent }
}
