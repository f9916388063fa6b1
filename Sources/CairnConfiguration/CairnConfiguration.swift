import CairnAccess
import CairnCore
import Foundation

/// What `cairn serve` runs: where to listen, where the cache lives, and which maps to serve.
public struct CairnConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Absolute path of the cache folder (one MBTiles file per map and scale).
    public var cacheDirectory: String
    /// The bound of the in-memory tile cache in front of the MBTiles files, in bytes (`cache.memory`); 0 turns it off.
    public var memoryCacheBytes = 256 << 20
    public var maps: [MapConfiguration]
    /// Every tile grid maps may be offered in, by identifier: the built-in ones and any configured.
    public var grids: [String: TileGrid]
    /// How the service names itself to GIS clients.
    public var service = ServiceDescription()
    /// Rate limits, request caps and render budgets (`limits:`).
    public var limits = LimitsConfiguration()
    /// The file this configuration came from; nil for the embedded demo.
    public var sourcePath: String?
    /// Credentials for internal maps and the audit log (`auth:`).
    public var auth = AuthSettings()
    /// PostgreSQL/PostGIS databases by name, for `postgis://NAME` style sources (`databases:`).
    public var databases: [String: DatabaseConfiguration] = [:]
    /// Hosts that `"remote": true` style sources may read from (`remote_hosts:`), lowercased; empty: none.
    public var remoteHosts: Set<String> = []
    /// The instances behind the front's consistent hash (`cluster:`); nil when not clustered.
    public var cluster: ClusterConfiguration?

    public init(host: String = "127.0.0.1", port: Int = 8080, cacheDirectory: String, maps: [MapConfiguration], sourcePath: String? = nil) {
        self.host = host
        self.port = port
        self.cacheDirectory = cacheDirectory
        self.maps = maps
        self.sourcePath = sourcePath
        self.grids = Dictionary(uniqueKeysWithValues: TileGrid.builtIn.map { ($0.identifier, $0) })
    }
}

/// One map: a style file and how it is offered.
public struct MapConfiguration: Sendable {
    /// The URL name: `^[a-z0-9][a-z0-9-]{0,63}$`.
    public var name: String
    /// Absolute path of the MapLibre style file.
    public var stylePath: String
    public var title: String?
    public var attribution: String?
    /// Tiles per metatile side; labels are placed once per metatile.
    public var metatileSize: Int
    public var minZoom: Int
    public var maxZoom: Int
    /// Scales offered: 1 (256 px) and 2 (@2x, 512 px).
    public var scales: [Int]
    /// Cache-Control max-age for tiles, in seconds.
    public var maxAgeSeconds: Int
    /// Answer with an expired (stale) tile at once and re-render it in the background,
    /// instead of making the client wait for the render.
    public var serveStale: Bool
    /// Zooms whose tiles are re-rendered in the background as soon as a live edit expires them
    /// (`refresh_zooms: A-B`), so viewers never wait; nil: expired tiles wait for a request.
    public var refreshZooms: ClosedRange<Int>?
    /// Tile grids the map is offered in, by identifier; the first is its default (XYZ URLs, TileJSON).
    public var grids: [String]
    /// Public or internal (`access:`).
    public var access: MapAccess = .public
    /// Origins allowed to put the map in an iframe (`embed_origins:`), e.g. `https://portal.example`.
    public var embedOrigins: [String] = []
    /// How its PNG tiles are encoded (`format:`); part of the cache fingerprint.
    public var pngFormat: PNGTileFormat = .default

    public init(name: String, stylePath: String, title: String? = nil, attribution: String? = nil, metatileSize: Int = 8,
                minZoom: Int = 0, maxZoom: Int = 20, scales: [Int] = [1, 2], maxAgeSeconds: Int = 3600, serveStale: Bool = false) {
        self.name = name
        self.stylePath = stylePath
        self.title = title
        self.attribution = attribution
        self.metatileSize = metatileSize
        self.minZoom = minZoom
        self.maxZoom = maxZoom
        self.scales = scales
        self.maxAgeSeconds = maxAgeSeconds
        self.serveStale = serveStale
        self.grids = [TileGrid.webMercator.identifier]
    }

    /// Whether `name` is an acceptable map name (also what URLs are checked against).
    public static func isValidName(_ name: some StringProtocol) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64 else { return false }
        func allowed(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
        guard allowed(first) else { return false }
        return name.utf8.allSatisfy { allowed($0) || $0 == 0x2D }
    }
}

extension CairnConfiguration {
    /// The configuration used when `cairn serve` gets no `--config`: the Hai Phong demo map,
    /// found in `styles/` of the working directory or of the checkout the binary was built in.
    public static func embeddedDemo(workingDirectory: String = FileManager.default.currentDirectoryPath,
                                    executablePath: String = CommandLine.arguments.first ?? "") -> CairnConfiguration {
        let candidates = [workingDirectory] + checkoutRoots(of: executablePath)
        let root = candidates.first { FileManager.default.fileExists(atPath: $0 + "/styles/hai-phong.json") } ?? workingDirectory
        var demo = MapConfiguration(name: "hai-phong", stylePath: root + "/styles/hai-phong.json", title: "Hải Phòng")
        // Offered in Web Mercator for web maps, and in VN-2000 and CRS84 for GIS clients (WMTS).
        demo.grids = [TileGrid.webMercator.identifier, TileGrid.vn2000HaiPhong.identifier, TileGrid.worldCRS84Quad.identifier]
        return CairnConfiguration(cacheDirectory: root + "/tiles-cache", maps: [demo], sourcePath: nil)
    }

    /// `.build/release/cairn` lives three folders below the checkout.
    private static func checkoutRoots(of executablePath: String) -> [String] {
        guard !executablePath.isEmpty else { return [] }
        var url = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
        var roots: [String] = []
        for _ in 0..<5 {
            url.deleteLastPathComponent()
            roots.append(url.path)
        }
        return roots
    }
}

extension MapConfiguration {
    /// `A-B` (or a single zoom `A`) with 0 <= A <= B <= 24; nil for anything else.
    public static func parseZoomRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...2).contains(parts.count), let low = Int(parts[0]), let high = Int(parts[parts.count - 1]),
              low >= 0, high <= 24, low <= high else { return nil }
        return low...high
    }
}
