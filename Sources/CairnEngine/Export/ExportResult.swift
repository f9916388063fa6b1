import CairnCache

/// What an export did: the cache fill (tiles already cached, rendered) and the archive written.
public struct ExportResult: Sendable {
    public var seed: SeedProgress
    /// Tiles that were not in the cache when the archive was assembled (expired, damaged or
    /// evicted since the fill) and were made again.
    public var remadeTiles: Int
    public var archive: PMTilesWriter.Summary
    public var elapsedSeconds: Double
}
