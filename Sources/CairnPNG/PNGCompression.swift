/// How a PNG's image data is compressed: which deflate implementation, at which level, and whether
/// rows are filtered first. The default is the one `scripts/bench-formats` measured best for tiles
/// (README, "Tile formats").
public struct PNGCompression: Sendable, Hashable, CustomStringConvertible {
    /// The deflate implementation.
    public enum Deflater: String, Sendable, Hashable {
        /// zlib, through libpng's streaming writer.
        case zlib
        /// libdeflate, whole-buffer, through Cairn's own chunk writer.
        case libdeflate
    }

    public var deflater: Deflater
    /// 0-9 for zlib, 0-12 for libdeflate.
    public var level: Int
    /// Row filters chosen per row (minimum sum of absolute differences) instead of none.
    public var filtered: Bool

    public init(deflater: Deflater, level: Int, filtered: Bool) {
        self.deflater = deflater
        self.level = level
        self.filtered = filtered
    }

    /// Truecolour tiles: libdeflate level 1, unfiltered: twice as fast as zlib level 1 and 5 % smaller;
    /// level 6 saves 4 % more bytes for 1.8 times the time, which a cold tile pays and a map wanting
    /// light tiles saves better with png8 (`scripts/bench-formats`, README "Tile formats"; row filters
    /// made tiles larger and slower).
    public static let `default` = PNGCompression(deflater: .libdeflate, level: 1, filtered: false)

    /// Palette tiles: libdeflate level 4, as fast as level 1 on palette tiles and 3 % smaller; from
    /// level 9 on, their long runs of one index make it 3–10 times slower for a few % less.
    public static let palette = PNGCompression(deflater: .libdeflate, level: 4, filtered: false)

    public var description: String { "\(deflater.rawValue)-\(level)\(filtered ? "-filtered" : "")" }
}
