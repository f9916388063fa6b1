import CairnCache

/// What `cairn export` puts in a PMTiles archive.
public struct ExportRequest: Sendable {
    public var zooms: ClosedRange<Int>
    /// nil: the map's data extent (as for seeding).
    public var area: AreaSpecification?
    /// PNG tiles (at `scale`) or the map's vector tiles.
    public var format: TileFormat
    public var scale: Int
    /// Concurrent renders while filling the cache; nil = one per core.
    public var workers: Int?
    /// Replace a file already at the output path.
    public var overwrite: Bool
    /// Export a map whose `access` is `internal`. A PMTiles archive has no access control:
    /// whoever gets the file (or its URL) reads every tile, so this must be asked for explicitly.
    public var includeInternal: Bool

    public init(zooms: ClosedRange<Int>, area: AreaSpecification? = nil, format: TileFormat = .png, scale: Int = 1,
                workers: Int? = nil, overwrite: Bool = false, includeInternal: Bool = false) {
        self.zooms = zooms
        self.area = area
        self.format = format
        self.scale = scale
        self.workers = workers
        self.overwrite = overwrite
        self.includeInternal = includeInternal
    }
}
