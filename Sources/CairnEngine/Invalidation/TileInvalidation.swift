import CairnCore

/// One announcement that cached tiles of a map changed (expired or deleted), as `TileInvalidations`
/// passes it to subscribers: which zooms, where (a WGS 84 box and Web Mercator XYZ tile ranges), in which
/// formats and scales. Clients that keep tiles (a browser's cache, an open map page) re-fetch the tiles
/// in `tiles`; the ranges may cover more than what changed, never less.
public struct TileInvalidation: Sendable, Equatable {
    /// Increases with every invalidation of the map, also across restarts (see `TileInvalidations`); 0 until published.
    public var id: Int = 0
    public var map: String
    public var zooms: ClosedRange<Int>
    /// The affected area in degrees (west, south, east, north); nil when it could not be worked out,
    /// and then `tiles` covers the whole world at each zoom.
    public var bbox: BoundingBox?
    /// In the XYZ scheme of `/maps/{map}/{z}/{x}/{y}.png` and `.pbf` (Web Mercator, rows from the top).
    public var tiles: [TileRange]
    public var formats: [TileFormat]
    /// PNG scales (1, 2); vector tiles have none.
    public var scales: [Int]
    /// The tiles were deleted rather than marked stale.
    public var deleted: Bool

    public init(map: String, zooms: ClosedRange<Int>, bbox: BoundingBox?, tiles: [TileRange], formats: [TileFormat],
                scales: [Int], deleted: Bool) {
        self.map = map
        self.zooms = zooms
        self.bbox = bbox
        self.tiles = tiles
        self.formats = formats
        self.scales = scales
        self.deleted = deleted
    }

    /// `{"id":…,"map":…,"zooms":[min,max],"bbox":[w,s,e,n],"tiles":[{"z":…,"minX":…,"minY":…,"maxX":…,"maxY":…}],
    /// "formats":["png","pbf"],"scales":[1,2],"deleted":false}` (the README's "Live invalidations").
    public var json: JSONValue {
        func degrees(_ value: Double) -> JSONValue { JSONValue((value * 1e6).rounded() / 1e6) }
        let box: JSONValue = bbox.map { [degrees($0.minX), degrees($0.minY), degrees($0.maxX), degrees($0.maxY)] } ?? .null
        let ranges = tiles.map { range -> JSONValue in
            ["z": JSONValue(range.z), "minX": JSONValue(range.minX), "minY": JSONValue(range.minY),
             "maxX": JSONValue(range.maxX), "maxY": JSONValue(range.maxY)]
        }
        return [
            "id": JSONValue(id),
            "map": JSONValue(map),
            "zooms": [JSONValue(zooms.lowerBound), JSONValue(zooms.upperBound)],
            "bbox": box,
            "tiles": .array(ranges),
            "formats": .array(formats.map { JSONValue($0.rawValue) }),
            "scales": .array(scales.map { JSONValue($0) }),
            "deleted": JSONValue(deleted),
        ]
    }
}
