import CairnCore
import Foundation

/// A feature's shape for `within` and `distance`. They compute in MapLibre's tile units: Web Mercator
/// world coordinates scaled so that one tile of zoom `tileZoom` spans `extent` units (x east,
/// y south), rounded to whole units as a vector tile stores them. A shape in longitude/latitude or
/// EPSG:3857 metres is converted (at zoom 20, millimetre units) only when one of them asks.
public struct FeatureGeometry: Sendable {
    public static let extent = 8192.0
    /// The zoom shapes in degrees or metres are quantised at.
    static let detailZoom = 20

    public enum Coordinates: Sendable {
        /// Already in tile units of tile (zoom, x, y): positions go back to longitude/latitude
        /// through that tile, as in MapLibre (the last digits of tiny distances depend on it).
        case tileUnits(zoom: Int, x: Int, y: Int)
        case lonLat
        case webMercatorMetres

        /// How a map in `crs` gives its features; nil for CRSs `within` and `distance` cannot read
        /// (they then evaluate as for a feature without geometry: false and NaN).
        public init?(crs: CRSDefinition) {
            switch crs {
            case .epsg(3857), .epsg(900913), .epsg(102100), .epsg(102113): self = .webMercatorMetres
            case .epsg(4326): self = .lonLat
            default: return nil
            }
        }
    }

    public var geometry: Geometry
    public var coordinates: Coordinates

    public init(_ geometry: Geometry, coordinates: Coordinates) {
        self.geometry = geometry
        self.coordinates = coordinates
    }

    /// A shape in longitude/latitude quantised to tile units of tile (zoom, x, y).
    public init(lonLat geometry: Geometry, tileZoom: Int, tileX: Int = 0, tileY: Int = 0) {
        self.init(geometry.mapPoints { FeatureGeometry.tileUnits($0, zoom: tileZoom) },
                  coordinates: .tileUnits(zoom: tileZoom, x: tileX, y: tileY))
    }

    /// The shape in tile units, with the tile it belongs to.
    func inTileUnits() -> (geometry: Geometry, zoom: Int, tileX: Int, tileY: Int) {
        switch coordinates {
        case .tileUnits(let zoom, let x, let y):
            return (geometry, zoom, x, y)
        case .lonLat:
            return (geometry.mapPoints { FeatureGeometry.tileUnits($0, zoom: FeatureGeometry.detailZoom) }, FeatureGeometry.detailZoom, 0, 0)
        case .webMercatorMetres:
            let half = 20_037_508.342789244
            let scale = pow(2, Double(FeatureGeometry.detailZoom)) * FeatureGeometry.extent
            let units = geometry.mapPoints { point in
                Point(((point.x + half) / (2 * half) * scale).rounded(), ((half - point.y) / (2 * half) * scale).rounded())
            }
            return (units, FeatureGeometry.detailZoom, 0, 0)
        }
    }

    /// Tile units of a longitude/latitude position (MapLibre's `getTileCoordinates`).
    static func tileUnits(_ lonLat: Point, zoom: Int) -> Point {
        let x = (180 + lonLat.x) / 360
        let y = (180 - (180 / Double.pi) * log(tan(Double.pi / 4 + lonLat.y * Double.pi / 360))) / 360
        let scale = pow(2, Double(zoom)) * extent
        return Point((x * scale).rounded(), (y * scale).rounded())
    }

    /// Longitude/latitude of a position in tile units of tile (zoom, x, y) (MapLibre's `getLngLatFromTileCoord`).
    static func lonLat(_ units: Point, zoom: Int, tileX: Int, tileY: Int) -> Point {
        let tiles = pow(2, Double(zoom))
        let localX = units.x - Double(tileX) * extent, localY = units.y - Double(tileY) * extent
        let x = (localX / extent + Double(tileX)) / tiles
        let y = (localY / extent + Double(tileY)) / tiles
        let lat = 360 / Double.pi * atan(exp((180 - y * 360) * Double.pi / 180)) - 90
        return Point(x * 360 - 180, lat)
    }
}
