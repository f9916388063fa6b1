import Foundation
import CairnCore

/// A data source of the style: a local file (`url`, or `data` for GeoJSON, a path relative to the
/// style file's folder unless absolute), or a PostGIS database of the configuration
/// (`"url": "postgis://NAME"`, whose layers' `source-layer` name tables or views).
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
    /// The configured database's name for `postgis://NAME` sources; nil for files.
    public let database: String?
    /// Cairn's `"geometry"`: the geometry column, for views `geometry_columns` does not describe.
    public let geometryColumn: String?
    /// Cairn's `"format": "ogr"`: read the file with GDAL/OGR even when Cairn has a native reader.
    public let format: StyleSourceFormat
    /// Cairn's `"open_options"`: GDAL open options of the driver (`X_POSSIBLE_NAMES`, …), for OGR sources.
    public let openOptions: [String: String]
    /// Cairn's `"encoding"`: how the data's attribute text is encoded; nil: as the format says.
    public let encoding: LegacyTextEncoding?
    /// Cairn's `"remote": true`: `url` is a remote dataset (`/vsicurl/…`, `https://…`, `WFS:…`) read by GDAL,
    /// allowed only when the configuration's `remote_hosts:` names its host.
    public let remote: Bool

    public init(
        id: String,
        type: StyleSourceType,
        path: String,
        resolvedPath: String,
        crs: CRSDefinition? = nil,
        attribution: String? = nil,
        minzoom: Double = 0,
        maxzoom: Double = 22,
        database: String? = nil,
        geometryColumn: String? = nil,
        format: StyleSourceFormat = .automatic,
        openOptions: [String: String] = [:],
        encoding: LegacyTextEncoding? = nil,
        remote: Bool = false
    ) {
        self.id = id
        self.type = type
        self.path = path
        self.resolvedPath = resolvedPath
        self.crs = crs
        self.attribution = attribution
        self.minzoom = minzoom
        self.maxzoom = maxzoom
        self.database = database
        self.geometryColumn = geometryColumn
        self.format = format
        self.openOptions = openOptions
        self.encoding = encoding
        self.remote = remote
    }

    /// Whether the source is a PostGIS database (`postgis://NAME`), read per metatile.
    public var isPostGIS: Bool { database != nil }

    /// Whether the source is read through GDAL/OGR: forced with `"format": "ogr"`, remote, or a file
    /// no native reader takes (anything but .geojson/.json, .gpkg, .shp and .mbtiles).
    public var readsThroughOGR: Bool {
        guard !isPostGIS, !isMBTiles else { return false }
        if format == .ogr || remote { return true }
        let lower = resolvedPath.lowercased()
        return ![".geojson", ".json", ".gpkg", ".shp"].contains { lower.hasSuffix($0) }
    }

    /// Whether the source is an MBTiles file of vector tiles (`mbtiles://` URL or `.mbtiles` file)
    /// rather than a file of features.
    public var isMBTiles: Bool {
        !isPostGIS && path.hasPrefix("mbtiles://") || (!isPostGIS && resolvedPath.lowercased().hasSuffix(".mbtiles"))
    }

    /// `path` made absolute against the folder of `styleFile` (itself relative to the working directory).
    static func resolve(_ path: String, relativeToStyleFile styleFile: String) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        let folder = URL(fileURLWithPath: styleFile).deletingLastPathComponent()
        return URL(fileURLWithPath: path, relativeTo: folder).standardizedFileURL.path
    }
}
