import Foundation

/// The kind of tiles a seed or expiry works on: raster images or Mapbox Vector Tiles.
public enum TileFormat: String, Sendable, CaseIterable, Codable {
    /// PNG images, per scale, in `NAME.mbtiles` (`NAME@2x.mbtiles`, ...), rendered by metatile.
    case png
    /// Gzipped Mapbox Vector Tiles in `NAME.pbf.mbtiles`, Web Mercator only, encoded tile by tile.
    case pbf
    /// WebP images, per scale, in `NAME.webp.mbtiles` (`NAME@2x.webp.mbtiles`), rendered by metatile.
    case webp

    /// Parses "png", "pbf", "webp" or a comma-separated list of them, in the order given, without repeats.
    /// - Throws: `EngineError(.badRequest)` naming the unknown word.
    public static func list(parsing text: String) throws -> [TileFormat] {
        var formats: [TileFormat] = []
        for word in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = word.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = TileFormat(rawValue: trimmed) else {
                throw EngineError(.badRequest, "format: expected png, pbf, webp or a list such as png,pbf, got \"\(trimmed.prefix(20))\"")
            }
            if !formats.contains(format) { formats.append(format) }
        }
        return formats
    }
}
