import Foundation
import CairnCore

/// A data source of the style. Cairn reads local files only: `url` (or `data` for GeoJSON)
/// is a path, relative to the style file's folder unless absolute.
public struct StyleSource: Sendable {
    public let id: String
    public let type: StyleSourceType
    /// The path as written in the style.
    public let path: String
    /// The absolute path of the file.
    public let resolvedPath: String
    /// Cairn's `"crs"` override of the CRS the file declares.
    public let crs: CRSDefinition?
    public let attribution: String?
    public let minzoom: Double
    /// The highest zoom of the source's data (MapLibre over-zooms above it; it still draws).
    public let maxzoom: Double

    public init(
        id: String,
        type: StyleSourceType,
        path: String,
        resolvedPath: String,
        crs: CRSDefinition? = nil,
        attribution: String? = nil,
        minzoom: Double = 0,
        maxzoom: Double = 22
    ) {
        self.id = id
        self.type = type
        self.path = path
        self.resolvedPath = resolvedPath
        self.crs = crs
        self.attribution = attribution
        self.minzoom = minzoom
        self.maxzoom = maxzoom
    }

    /// Whether the source is an MBTiles file of vector tiles (`mbtiles://` URL or `.mbtiles` file)
    /// rather than a file of features.
    public var isMBTiles: Bool {
        path.hasPrefix("mbtiles://") || resolvedPath.lowercased().hasSuffix(".mbtiles")
    }

    /// `path` made absolute against the folder of `styleFile` (itself relative to the working directory).
    static func resolve(_ path: String, relativeToStyleFile styleFile: String) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        let folder = URL(fileURLWithPath: styleFile).deletingLastPathComponent()
        return URL(fileURLWithPath: path, relativeTo: folder).standardizedFileURL.path
    }
}
