/// How a map's PNG tiles are encoded (`format:` of a map).
public enum PNGTileFormat: String, Sendable, CaseIterable {
    /// Palette PNG, at most 256 colours without dithering (exact when a tile has no more), as Mapnik's `png8`.
    case png8
    /// Truecolour PNG (RGB or RGBA): every colour exact, several times the bytes.
    case png32

    /// Chosen by `scripts/bench-formats` (README, "Tile formats").
    public static let `default` = PNGTileFormat.png8
}
