import CairnConfiguration
import CairnCore
import CairnProjection
import CairnRender
import CairnStyle

/// A map ready to render: its style, every layer it draws already reprojected into the
/// tile grid and indexed, and the fingerprint of the files it was built from.
public struct LoadedMap: Sendable {
    public var configuration: MapConfiguration
    public var style: Style
    public var grid: TileGrid
    /// Layers keyed by `LoadedMap.layerKey(source:sourceLayer:)`.
    public var layers: [String: ProjectedLayer]
    /// MBTiles vector tile sources by style source id; their features are read per metatile.
    public var vectorSources: [String: LoadedVectorSource] = [:]
    /// PostGIS layers keyed like `layers`; their features are queried per metatile and put in
    /// `layers` of a per-render copy of the map (`drawing(_:)`), so the renderers see one kind of layer.
    public var postgisLayers: [String: PostGISLayerSource] = [:]
    /// The style's sprites (icons and patterns); empty when the style has none.
    public var sprites: SpriteAtlas = .empty
    /// Changes whenever the style, a data file or Cairn's renderer changes; cached tiles
    /// rendered under another fingerprint are never served.
    public var fingerprint: String
    /// The data's extent in degrees (west, south, east, north).
    public var geographicBounds: BoundingBox
    /// The data's extent in the grid's CRS.
    public var dataBounds: BoundingBox = .empty
    /// What the readers skipped or doubted without failing ("FILE: layer NAME: …"), for the log and `cairn validate`.
    public var dataWarnings: [String] = []
    /// Files watched for changes, with the stamp they had when loaded.
    var watchedFiles: [String: FileStamp?]
    /// Web Mercator metres per grid unit near the data: 1 for EPSG:3857, about 111 km for
    /// degrees, 1/cos(latitude) for national grids in true metres. Style zoom is MapLibre's
    /// zoom, which is defined on Web Mercator, so other grids render at the same map scale.
    var mercatorMetresPerGridUnit: Double = 1

    /// The MapLibre zoom a tile of level `z` is drawn at: z − 1 for 256 px Web Mercator tiles.
    public func styleZoom(at z: Int) -> Double {
        MapRenderer.styleZoom(mercatorResolution: grid.resolution(at: z) * mercatorMetresPerGridUnit)
    }

    public var name: String { configuration.name }

    /// How the map's PNG tiles are encoded (`format:` of the map).
    public var pngImageFormat: TileImageFormat {
        switch configuration.pngFormat {
        case .png8: .png8
        case .png32: .png32
        }
    }
    public var title: String { configuration.title ?? style.name ?? configuration.name }

    public var attribution: String {
        if let attribution = configuration.attribution { return attribution }
        let parts = style.sources.keys.sorted().compactMap { style.sources[$0]?.attribution }
        var seen: Set<String> = []
        return parts.filter { seen.insert($0).inserted }.joined(separator: " · ")
    }

    /// Centre and zoom for viewers: the style's own, else the middle of the data.
    public var center: (longitude: Double, latitude: Double, zoom: Int) {
        let zoomFromStyle = style.zoom.map { Int($0.rounded()) + 1 }
        let zoom = max(configuration.minZoom, min(configuration.maxZoom, zoomFromStyle ?? 12))
        if let c = style.center { return (c.x, c.y, zoom) }
        let mid = geographicBounds.center
        return (mid.x, mid.y, zoom)
    }

    static func layerKey(source: String, sourceLayer: String?) -> String {
        source + "\u{1F}" + (sourceLayer ?? "")
    }

    /// Whether any watched file changed since the map was loaded.
    func filesChanged() -> Bool {
        watchedFiles.contains { path, stamp in FileStamp(path: path) != stamp }
    }
}
