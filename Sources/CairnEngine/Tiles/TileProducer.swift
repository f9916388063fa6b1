import CairnCache
import CairnCore
import CairnPostGIS
import CairnRender
import CairnZlib
import Foundation

/// The product-specific part of the tile pipeline, for one map version: which cache file and
/// fingerprint its tiles live under, what the file's metadata says, which tiles are made together
/// and how they are made. Everything else (cache lookup, coalescing, admission, queueing, metrics,
/// storing) is the one pipeline in `TileEngine+Pipeline`.
struct TileProducer: Sendable {
    let map: LoadedMap
    let product: TileProduct
    /// The fingerprint cached tiles must carry to be served.
    let cacheFingerprint: String
    /// The vector layers (vector tiles only).
    private let vectorPlan: VectorLayerPlan?

    /// PNG images of the map in its grid.
    init(png map: LoadedMap, scale: Int) {
        self.map = map
        product = .png(scale: scale)
        cacheFingerprint = Self.fingerprint(of: map, encoding: map.pngImageFormat)
        vectorPlan = nil
    }

    /// WebP images of the map in its grid: the PNG tiles' pixels, in their own cache file.
    init(webp map: LoadedMap, scale: Int) {
        self.map = map
        product = .webp(scale: scale)
        cacheFingerprint = Self.fingerprint(of: map, encoding: .webp)
        vectorPlan = nil
    }

    /// Vector tiles of the map (in Web Mercator).
    init(pbf map: LoadedMap, plan: VectorLayerPlan) {
        self.map = map
        product = .pbf
        cacheFingerprint = VectorTileEncoding.fingerprint(of: map)
        vectorPlan = plan
    }

    var format: TileFormat { product.format }

    /// Truecolour PNG tiles keep the map's fingerprint (caches made before other encodings existed
    /// stay valid); palette PNG and WebP tiles carry their encoder's version too, so changing a map's
    /// `format:` or the quantiser never serves the old bytes.
    static func fingerprint(of map: LoadedMap, encoding: TileImageFormat) -> String {
        guard encoding != .png32 else { return map.fingerprint }
        var hash = Fingerprinter()
        hash.add(encoding.encoderIdentity)
        hash.add(map.fingerprint)
        return hash.hex
    }

    /// The cache file's name in the cache directory. Existing caches are found by these names:
    /// `NAME.mbtiles`, `NAME@2x.mbtiles`, `NAME.GRID.mbtiles` (grids other than Web Mercator keep
    /// the plain names MBTiles readers expect for Web Mercator free), `NAME.pbf.mbtiles`,
    /// `NAME.webp.mbtiles`, `NAME@2x.webp.mbtiles`.
    var fileName: String {
        switch product {
        case .png(let scale):
            let gridPart = map.grid.identifier == TileGrid.webMercator.identifier ? "" : "." + map.grid.identifier
            return map.name + gridPart + (scale == 1 ? ".mbtiles" : "@\(scale)x.mbtiles")
        case .webp(let scale):
            let gridPart = map.grid.identifier == TileGrid.webMercator.identifier ? "" : "." + map.grid.identifier
            return map.name + gridPart + (scale == 1 ? "" : "@\(scale)x") + ".webp.mbtiles"
        case .pbf:
            return map.name + ".pbf.mbtiles"
        }
    }

    /// Columns and rows of the grid at a zoom level, for the cache's TMS row flip.
    var matrixSize: @Sendable (Int) -> (columns: Int, rows: Int) {
        switch product {
        case .png, .webp:
            let grid = map.grid
            return { z in z <= grid.maxZoom ? grid.matrixSize(at: z) : (0, 0) }
        case .pbf:
            return { (1 << $0, 1 << $0) }
        }
    }

    /// The metadata rows describing this product. `minzoom`, `maxzoom` and `bounds` are the
    /// map's configured ones until `CacheFile` replaces them by what the file holds.
    var metadata: MBTilesMetadata {
        let center = map.center
        var metadata = MBTilesMetadata(
            name: map.name, format: "png", bounds: map.geographicBounds,
            center: .init(longitude: center.longitude, latitude: center.latitude, zoom: center.zoom),
            minZoom: map.configuration.minZoom, maxZoom: map.configuration.maxZoom,
            attribution: map.attribution, description: map.title,
            extra: ["cairn:fingerprint": cacheFingerprint]
        )
        if case .webp = product { metadata.format = "webp" }
        if let vectorPlan {
            metadata.format = "pbf"
            metadata.type = "overlay"
            let json: JSONValue = ["vector_layers": vectorPlan.vectorLayers]
            metadata.extra["json"] = json.text
        }
        return metadata
    }

    /// The tiles made together with `tile`: its metatile for PNG (one render draws them all),
    /// the tile alone for vector tiles.
    func batch(containing tile: TileCoordinate) -> Metatile {
        Metatile(containing: tile, size: product == .pbf ? 1 : map.configuration.metatileSize, in: map.grid)
    }

    /// How many renders making `wanted` of `batch` counts as: one per metatile, one per vector tile.
    func renderCount(wanted: [TileCoordinate]) -> Int {
        product == .pbf ? wanted.count : 1
    }

    /// Makes the tiles of `batch` (every tile of the metatile for PNG, only `wanted` for vector
    /// tiles), as they are cached and sent: PNG bytes, or gzip-compressed MVT.
    /// - Throws: `RenderBudgetExceeded` over `budget`; other errors when drawing or compressing fails.
    /// `postgis`: the rows of the map's PostGIS layers for this batch (`TileEngine.fetchPostGIS`).
    /// `first`: a tile of the batch someone waits for, handed to `deliver` as soon as it is made
    /// (PNG: before the rest of the metatile is drawn; the bytes are the same either way).
    func make(_ batch: Metatile, wanted: [TileCoordinate], budget: RenderBudget, postgis: [String: PostGISRows] = [:],
              first: TileCoordinate? = nil, deliver: ([UInt8]) -> Void = { _ in }) throws -> [TileCoordinate: [UInt8]] {
        let map = try self.map.drawing(postgis)
        switch product {
        case .png(let scale):
            if let first {
                return try MapRenderer.render(map, metatile: batch, scale: scale, budget: budget, first: first, deliver: deliver)
            }
            return try MapRenderer.render(map, metatile: batch, scale: scale, budget: budget)
        case .webp(let scale):
            if let first {
                return try MapRenderer.render(map, metatile: batch, scale: scale, format: .webp, budget: budget, first: first, deliver: deliver)
            }
            return try MapRenderer.render(map, metatile: batch, scale: scale, format: .webp, budget: budget)
        case .pbf:
            guard let vectorPlan else { return [:] }
            var tiles: [TileCoordinate: [UInt8]] = [:]
            for tile in wanted {
                tiles[tile] = try Zlib.gzip(VectorTileBuilder.encode(map, plan: vectorPlan, tile: tile, budget: budget))
            }
            return tiles
        }
    }

    /// The box (grid CRS) whose features `make` draws for `batch`: the metatile and the
    /// renderer's query margin, or the wanted vector tiles and the encoder's buffer.
    func dataBox(for batch: Metatile, wanted: [TileCoordinate]) -> BoundingBox {
        switch product {
        case .png, .webp:
            // As MapRenderer.render: bounds expanded by 1.5 × the buffer (64 CSS px in grid units).
            let bufferUnits = Double(MapRenderer.bufferPixels) * map.grid.resolution(at: batch.z)
            return batch.bounds(in: map.grid).expanded(by: bufferUnits * 1.5)
        case .pbf:
            var box = BoundingBox.empty
            for tile in wanted {
                let bounds = map.grid.bounds(of: tile)
                box.extend(with: bounds.expanded(by: bounds.width * Double(VectorTileBuilder.buffer) / Double(VectorTileBuilder.extent)))
            }
            return box
        }
    }

    /// Zoom levels (style zoom for images, tile level for vector tiles) below which PostGIS
    /// geometries are simplified in the database: there a table's full detail is mostly bytes
    /// no pixel shows; above it, data is drawn exactly as from files.
    static let simplifyBelowZoom = 12.0

    /// Half a pixel in grid units at `batch`'s level (0: no simplification).
    func simplificationTolerance(for batch: Metatile) -> Double {
        switch product {
        case .png(let scale), .webp(let scale):
            guard map.styleZoom(at: batch.z) < Self.simplifyBelowZoom else { return 0 }
            return map.grid.resolution(at: batch.z) / Double(scale) / 2
        case .pbf:
            // MapLibre draws a level-z tile up to twice its size: half a pixel of that.
            guard Double(batch.z) < Self.simplifyBelowZoom else { return 0 }
            return map.grid.resolution(at: batch.z) / 4
        }
    }

    /// A tile with nothing drawn: a one-colour PNG (about 100 bytes as a palette PNG; anything
    /// drawn is far larger) or WebP (under 100 bytes), or a vector tile with no layers.
    func isBlank(_ data: [UInt8]) -> Bool {
        switch product {
        case .png:
            return data.count <= 160
        case .webp:
            return data.count <= 100
        case .pbf:
            do { return try Zlib.decompress(data, limit: 1).isEmpty } catch { return false }
        }
    }
}
