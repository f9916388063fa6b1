import CairnCore
import Foundation

/// Who is asking and what they may see: the result of verifying a credential.
/// Authorization decides only whether a tile is returned, never what it contains.
public struct Principal: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case apiKey = "key"
        case token = "jwt"
        case embed = "embed"
    }

    public var kind: Kind
    /// Key id, token subject or embed signature id; safe to log (never the secret).
    public var id: String
    /// Map names this principal may use.
    public var maps: Set<String>
    /// Browser origins allowed to use the credential (CORS echo, embed frame-ancestors); empty: none.
    public var origins: [String]
    /// The area the principal may see, longitude/latitude (WGS 84); nil means everywhere.
    public var bbox: BoundingBox?
    /// Web Mercator zoom levels the principal may request; nil means all.
    public var minZoom: Int?
    public var maxZoom: Int?
    /// When the credential stops being accepted; nil means no expiry (API keys without `--expires`).
    public var expiresAt: Date?

    public init(kind: Kind, id: String, maps: Set<String>, origins: [String] = [], bbox: BoundingBox? = nil,
                minZoom: Int? = nil, maxZoom: Int? = nil, expiresAt: Date? = nil) {
        self.kind = kind
        self.id = id
        self.maps = maps
        self.origins = origins
        self.bbox = bbox
        self.minZoom = minZoom
        self.maxZoom = maxZoom
        self.expiresAt = expiresAt
    }

    /// `kind:id`, e.g. `key:k3f9a2c1d` or `jwt:alice`, for audit lines.
    public var label: String { kind.rawValue + ":" + id }

    /// Whether the credential limits the area or zoom levels.
    public var isScoped: Bool { bbox != nil || minZoom != nil || maxZoom != nil }

    public func allows(map: String) -> Bool { maps.contains(map) }

    public func allows(origin: String) -> Bool { origins.contains(origin) }

    /// Whether a Web Mercator (XYZ) tile lies within the zoom range and touches the bbox.
    /// Tiles outside are refused outright, never rendered masked.
    public func allows(webMercatorTile tile: TileCoordinate) -> Bool {
        if let minZoom, tile.z < minZoom { return false }
        if let maxZoom, tile.z > maxZoom { return false }
        guard let bbox else { return true }
        let n = Double(1 << min(max(tile.z, 0), 30))
        let west = Double(tile.x) / n * 360 - 180
        let east = Double(tile.x + 1) / n * 360 - 180
        func latitude(_ y: Double) -> Double { atan(sinh(.pi * (1 - 2 * y / n))) * 180 / .pi }
        let north = latitude(Double(tile.y))
        let south = latitude(Double(tile.y + 1))
        return Self.overlaps(BoundingBox(minX: west, minY: south, maxX: east, maxY: north), bbox)
    }

    /// Whether a tile of a longitude/latitude grid (bounds in degrees) touches the bbox.
    /// Zoom limits are Web Mercator levels, so a zoom-limited principal gets no geographic-grid tiles.
    public func allows(geographicTileBounds bounds: BoundingBox) -> Bool {
        if minZoom != nil || maxZoom != nil { return false }
        guard let bbox else { return true }
        return Self.overlaps(bounds, bbox)
    }

    /// Strict overlap: tiles that only share an edge with the area are outside it.
    static func overlaps(_ a: BoundingBox, _ b: BoundingBox) -> Bool {
        a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY
    }

    /// Seconds until expiry (at least 0), or nil without expiry.
    public func remainingSeconds(now: Date = Date()) -> Int? {
        expiresAt.map { max(0, Int($0.timeIntervalSince(now).rounded(.down))) }
    }
}
