/// A seed request covering more tiles than `limits.max_seed_tiles` allows. Its message names
/// both numbers and is safe to show to a client.
public struct SeedLimitError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable { case tooManyTiles = "too_many_tiles" }
    public let code: Code
    /// Tiles the request covers, all zooms together.
    public let tiles: Int
    /// The configured limit.
    public let limit: Int
    public let map: String

    public init(map: String, tiles: Int, limit: Int) {
        code = .tooManyTiles
        self.map = map
        self.tiles = tiles
        self.limit = limit
    }

    public var message: String {
        "the request covers \(tiles) tiles of the map \(map), more than limits.max_seed_tiles (\(limit)); narrow the bbox or the zooms, seed in parts, or raise the limit"
    }

    public var description: String { message }
}
