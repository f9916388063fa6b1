/// What a cached tile is: a PNG or WebP image at a scale, or a Mapbox Vector Tile. Each product of a map
/// has its own cache file; everything else about serving it is the same pipeline.
public enum TileProduct: Hashable, Sendable, CustomStringConvertible {
    /// PNG images rendered by metatile, `scale` device pixels per CSS pixel (1 = 256 px tiles).
    case png(scale: Int)
    /// Gzipped Mapbox Vector Tiles, Web Mercator only, encoded tile by tile.
    case pbf
    /// WebP images rendered by metatile, as `png` but encoded with libwebp.
    case webp(scale: Int)

    public var format: TileFormat {
        switch self {
        case .png: .png
        case .pbf: .pbf
        case .webp: .webp
        }
    }

    public var description: String {
        switch self {
        case .png(let scale): scale == 1 ? "png" : "png@\(scale)x"
        case .pbf: "pbf"
        case .webp(let scale): scale == 1 ? "webp" : "webp@\(scale)x"
        }
    }
}
