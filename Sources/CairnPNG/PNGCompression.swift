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
        /// Cairn's `ScanlineDeflater`, made for truecolour tiles (its level is ignored; palette
        /// images and filtered rows go to libdeflate).
        case scanline
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

    /// Truecolour tiles: Cairn's scanline deflater, unfiltered. Against libdeflate level 1 it encodes the
    /// tiles of `scripts/bench` 2.3 times as fast for 2 % more bytes, and the richer demo map's 1.26 times
    /// as fast for 14 % more (`scripts/bench-formats`, README "Tile formats"). png32 is the exact-colour,
    /// fast-to-make format; a map that wants light tiles is far better served by png8 (2.7 times smaller)
    /// than by a slower deflate (libdeflate 6 saves 16 % for 2.4 times the time; row filters made tiles
    /// larger and slower).
    public static let `default` = PNGCompression(deflater: .scanline, level: 1, filtered: false)

    /// Palette tiles: libdeflate level 4, as fast as level 1 on palette tiles and 3 % smaller; from
    /// level 9 on, their long runs of one index make it 3–10 times slower for a few % less.
    public static let palette = PNGCompression(deflater: .libdeflate, level: 4, filtered: false)

    public var description: String { "\(deflater.rawValue)-\(level)\(filtered ? "-filtered" : "")" }
}
