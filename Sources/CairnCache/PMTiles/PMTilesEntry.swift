/// One entry of a PMTiles directory: `runLength` tiles from `tileID` on, all with the bytes at
/// `offset` (from the start of the tile data), or with `runLength` 0 a leaf directory starting at
/// `tileID`, at `offset` from the start of the leaf directories.
public struct PMTilesEntry: Sendable, Hashable {
    public var tileID: UInt64
    public var offset: UInt64
    public var length: UInt32
    public var runLength: UInt32

    public init(tileID: UInt64, offset: UInt64, length: UInt32, runLength: UInt32) {
        self.tileID = tileID
        self.offset = offset
        self.length = length
        self.runLength = runLength
    }
}
