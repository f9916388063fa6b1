import CairnCache

extension TileProducer {
    /// What a tile read from this product's cache must be to be served: a PNG of the grid's tile
    /// size at the scale, a WebP, or a gzip-compressed vector tile.
    var cachedImageKind: CachedImageKind {
        switch product {
        case .png(let scale): .png(side: map.grid.tileSize * scale)
        case .pbf: .gzipVectorTile
        case .webp: .webp
        }
    }
}
