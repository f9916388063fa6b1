import CairnCore

/// The metadata rows of an MBTiles 1.3 tileset.
public struct MBTilesMetadata: Sendable, Hashable {
    /// The `center` row: a longitude, latitude and the zoom level a viewer starts at.
    public struct Center: Sendable, Hashable {
        public var longitude: Double
        public var latitude: Double
        public var zoom: Int

        public init(longitude: Double, latitude: Double, zoom: Int) {
            self.longitude = longitude
            self.latitude = latitude
            self.zoom = zoom
        }
    }

    public var name: String
    /// "png", "jpg", "webp" or "pbf".
    public var format: String
    /// West, south, east, north in WGS84 degrees (minX = west, minY = south, ...).
    public var bounds: BoundingBox
    public var center: Center
    public var minZoom: Int
    public var maxZoom: Int
    public var attribution: String
    public var description: String?
    /// "baselayer" or "overlay".
    public var type: String
    /// The tileset's version.
    public var version: String
    /// Further rows (e.g. `json` for pbf tilesets); the named fields win over keys here.
    public var extra: [String: String]

    public init(
        name: String, format: String = "png", bounds: BoundingBox, center: Center,
        minZoom: Int, maxZoom: Int, attribution: String, description: String? = nil,
        type: String = "baselayer", version: String = "1", extra: [String: String] = [:]
    ) {
        self.name = name
        self.format = format
        self.bounds = bounds
        self.center = center
        self.minZoom = minZoom
        self.maxZoom = maxZoom
        self.attribution = attribution
        self.description = description
        self.type = type
        self.version = version
        self.extra = extra
    }

    /// The rows as MBTiles 1.3 spells them: bounds "west,south,east,north", center "lon,lat,zoom".
    public var rows: [String: String] {
        var rows = extra
        rows["name"] = name
        rows["format"] = format
        rows["bounds"] = [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].map(Self.format).joined(separator: ",")
        rows["center"] = "\(Self.format(center.longitude)),\(Self.format(center.latitude)),\(center.zoom)"
        rows["minzoom"] = String(minZoom)
        rows["maxzoom"] = String(maxZoom)
        rows["attribution"] = attribution
        if let description { rows["description"] = description }
        rows["type"] = type
        rows["version"] = version
        return rows
    }

    /// Degrees as plain decimals (never exponent notation), at most 8 places.
    static func format(_ value: Double) -> String {
        let scaled = (value * 1e8).rounded()
        guard abs(scaled) < 1e17 else { return String(value) }
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        var text = String(magnitude / 100_000_000)
        var fraction = String(magnitude % 100_000_000)
        fraction = String(repeating: "0", count: 8 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if !fraction.isEmpty { text += "." + fraction }
        return negative && magnitude != 0 ? "-" + text : text
    }
}
