import CairnCore
import Foundation

/// Writes a PMTiles v3 archive from tiles given in any order, in bounded memory.
///
/// Each distinct tile is appended once to a spool file beside the output (unlinked as soon as it
/// is created, so nothing is left behind by a crash); memory holds 16 bytes per tile and about
/// 40 per distinct tile (its place in the spool and a hash), never tile bytes. Identical tiles
/// (open sea, empty land) are found by hash and confirmed byte for byte. `finish` sorts the
/// tiles by tile id, lays out the tile data clustered (first use order, repeats pointing back,
/// runs of one tile as one entry), writes header, root directory, metadata, leaf directories and
/// tile data to `PATH.part`, flushes it and only then puts it at `PATH`, so readers never see a
/// half-written archive.
///
/// Not for concurrent use: calls must not overlap (it is Sendable to be handed to IO threads).
public final class PMTilesWriter: @unchecked Sendable {
    /// What a finished archive holds.
    public struct Summary: Sendable {
        public var path: String
        /// Tiles a reader finds (before run-length and deduplication).
        public var addressedTiles: Int
        /// Directory entries for tiles (runs of one tile count once).
        public var tileEntries: Int
        /// Distinct tile blobs in the tile data.
        public var tileContents: Int
        public var tileDataBytes: Int
        /// Bytes of tile data before deduplication.
        public var undeduplicatedBytes: Int
        public var rootDirectoryBytes: Int
        public var leafDirectoryBytes: Int
        public var leafDirectories: Int
        public var metadataBytes: Int
        public var fileBytes: Int
        public var minZoom: Int
        public var maxZoom: Int
    }

    /// How the finished archive describes its tiles.
    public struct Description: Sendable {
        public var tileType: PMTilesTileType
        public var tileCompression: PMTilesCompression
        /// West, south, east, north in degrees.
        public var bounds: BoundingBox
        public var centerLongitude: Double
        public var centerLatitude: Double
        public var centerZoom: Int
        /// The JSON metadata object (name, attribution, `vector_layers`, ...), UTF-8.
        public var metadata: [UInt8]

        public init(tileType: PMTilesTileType, tileCompression: PMTilesCompression, bounds: BoundingBox,
                    centerLongitude: Double, centerLatitude: Double, centerZoom: Int, metadata: [UInt8]) {
            self.tileType = tileType
            self.tileCompression = tileCompression
            self.bounds = bounds
            self.centerLongitude = centerLongitude
            self.centerLatitude = centerLatitude
            self.centerZoom = centerZoom
            self.metadata = metadata
        }
    }

    private struct Blob {
        var spoolOffset: UInt64
        var length: UInt32
    }

    private struct Tile {
        var id: UInt64
        var blob: UInt32
    }

    public let path: String
    public let partPath: String
    private let overwrite: Bool
    private let spool: PMTilesFileHandle
    private var spoolLength: UInt64 = 0
    private var blobs: [Blob] = []
    private var blobsByHash: [Int: [UInt32]] = [:]
    private var tiles: [Tile] = []
    private var undeduplicatedBytes = 0
    private var finished = false

    /// Starts an archive for `path`: creates `PATH.part` (so an unwritable place fails now, not
    /// after the tiles are made) and the spool.
    /// - Parameter overwrite: replace a file already at `path`; when false, `finish` refuses to.
    /// - Throws: `PMTilesError(.exists)` when `path` exists and `overwrite` is false; `.io` when
    ///   the part file or spool cannot be created.
    public init(path: String, overwrite: Bool) throws(PMTilesError) {
        self.path = path
        partPath = path + ".part"
        self.overwrite = overwrite
        if !overwrite, FileManager.default.fileExists(atPath: path) {
            throw PMTilesError(.exists, path: path, "the file exists; choose another name or allow overwriting it")
        }
        _ = try PMTilesFileHandle(creating: partPath)
        let directory = (path as NSString).deletingLastPathComponent
        let spoolPath = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(getpid()).spool"
        do {
            spool = try PMTilesFileHandle(creating: spoolPath)
        } catch {
            // Not initialised, so no deinit: the part file is removed here.
            unlink(partPath)
            throw error
        }
        unlink(spoolPath)
    }

    deinit {
        spool.close()
        if !finished { unlink(partPath) }
    }

    /// Tiles added so far (each address once).
    public var tileCount: Int { tiles.count }

    /// Adds the tile at z/x/y (Web Mercator XYZ, as served) with its bytes as they are to be
    /// sent (already compressed for `tileCompression` gzip).
    /// - Throws: `PMTilesError(.invalidTiles)` for an empty tile or a zoom above 31; `.io` or
    ///   `.noSpace` when the spool cannot be written.
    public func add(_ tile: TileCoordinate, data: [UInt8]) throws(PMTilesError) {
        guard (0...31).contains(tile.z), (0..<(1 << tile.z)).contains(tile.x), (0..<(1 << tile.z)).contains(tile.y) else {
            throw PMTilesError(.invalidTiles, path: path, "tile \(tile) is outside the Web Mercator grid PMTiles addresses")
        }
        guard !data.isEmpty, data.count <= Int(UInt32.max) else {
            throw PMTilesError(.invalidTiles, path: path, "tile \(tile) has \(data.count) bytes; PMTiles needs 1 to 4 GiB")
        }
        undeduplicatedBytes += data.count
        var hasher = Hasher()
        hasher.combine(data.count)
        data.withUnsafeBytes { hasher.combine(bytes: $0) }
        let hash = hasher.finalize()
        for candidate in blobsByHash[hash] ?? [] where Int(blobs[Int(candidate)].length) == data.count {
            // A hash match is confirmed with the bytes themselves: no two different tiles ever share.
            if try spool.read(data.count, at: blobs[Int(candidate)].spoolOffset) == data {
                tiles.append(Tile(id: PMTilesTileID.id(z: tile.z, x: tile.x, y: tile.y), blob: candidate))
                return
            }
        }
        try spool.write(data, at: spoolLength)
        let index = UInt32(blobs.count)
        blobs.append(Blob(spoolOffset: spoolLength, length: UInt32(data.count)))
        blobsByHash[hash, default: []].append(index)
        spoolLength += UInt64(data.count)
        tiles.append(Tile(id: PMTilesTileID.id(z: tile.z, x: tile.x, y: tile.y), blob: index))
    }

    /// Writes the archive and puts it at `path`.
    /// - Throws: `PMTilesError(.invalidTiles)` with no tiles or one tile added twice; `.exists`
    ///   when a file appeared at `path` meanwhile and overwriting is not allowed; `.io`/`.noSpace`.
    public func finish(_ description: Description) throws(PMTilesError) -> Summary {
        guard !tiles.isEmpty else { throw PMTilesError(.invalidTiles, path: path, "no tiles to write") }
        tiles.sort { $0.id < $1.id }
        blobsByHash = [:]

        // Tile data in tile id order of first use; later uses point back; equal neighbours form runs.
        var finalOffsets = [UInt64](repeating: .max, count: blobs.count)
        var order: [UInt32] = []
        order.reserveCapacity(blobs.count)
        var entries: [PMTilesEntry] = []
        var dataLength: UInt64 = 0
        var previous: UInt64? = nil
        for tile in tiles {
            if tile.id == previous {
                let (z, x, y) = PMTilesTileID.coordinate(of: tile.id)
                throw PMTilesError(.invalidTiles, path: path, "tile \(z)/\(x)/\(y) was added twice")
            }
            previous = tile.id
            let blob = Int(tile.blob)
            if finalOffsets[blob] == .max {
                finalOffsets[blob] = dataLength
                dataLength += UInt64(blobs[blob].length)
                order.append(tile.blob)
            }
            let offset = finalOffsets[blob]
            if let last = entries.last, last.offset == offset, last.tileID + UInt64(last.runLength) == tile.id, last.runLength < UInt32.max {
                entries[entries.count - 1].runLength += 1
            } else {
                entries.append(PMTilesEntry(tileID: tile.id, offset: offset, length: blobs[blob].length, runLength: 1))
            }
        }
        let addressed = tiles.count
        let zooms = (PMTilesTileID.coordinate(of: tiles.first!.id).z, PMTilesTileID.coordinate(of: tiles.last!.id).z)
        tiles = []

        let (root, leaves, leafCount) = try PMTilesDirectory.layout(entries)
        let metadata = try PMTilesDirectory.compress(description.metadata)
        var header = PMTilesHeader()
        header.rootOffset = UInt64(PMTilesHeader.size)
        header.rootLength = UInt64(root.count)
        header.metadataOffset = header.rootOffset + header.rootLength
        header.metadataLength = UInt64(metadata.count)
        header.leavesOffset = header.metadataOffset + header.metadataLength
        header.leavesLength = UInt64(leaves.count)
        header.tileDataOffset = header.leavesOffset + header.leavesLength
        header.tileDataLength = dataLength
        header.addressedTiles = UInt64(addressed)
        header.tileEntries = UInt64(entries.count)
        header.tileContents = UInt64(order.count)
        header.clustered = true
        header.internalCompression = .gzip
        header.tileCompression = description.tileCompression
        header.tileType = description.tileType
        header.minZoom = zooms.0
        header.maxZoom = zooms.1
        header.bounds = description.bounds
        header.centerZoom = min(max(description.centerZoom, zooms.0), zooms.1)
        header.centerLongitude = description.centerLongitude
        header.centerLatitude = description.centerLatitude

        let part = try PMTilesFileHandle(creating: partPath)
        try part.write(header.bytes + root + metadata + leaves, at: 0)
        // Tile data copied from the spool in about 1 MiB writes.
        var position = header.tileDataOffset
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for index in order {
            let blob = blobs[Int(index)]
            buffer.append(contentsOf: try spool.read(Int(blob.length), at: blob.spoolOffset))
            if buffer.count >= 1 << 20 {
                try part.write(buffer, at: position)
                position += UInt64(buffer.count)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try part.write(buffer, at: position)
        try part.synchronize()
        part.close()
        try publish()
        finished = true
        spool.close()

        return Summary(path: path, addressedTiles: addressed, tileEntries: entries.count, tileContents: order.count,
                       tileDataBytes: Int(dataLength), undeduplicatedBytes: undeduplicatedBytes, rootDirectoryBytes: root.count,
                       leafDirectoryBytes: leaves.count, leafDirectories: leafCount, metadataBytes: metadata.count,
                       fileBytes: Int(header.tileDataOffset + dataLength), minZoom: zooms.0, maxZoom: zooms.1)
    }

    /// `PATH.part` → `PATH`: a rename when overwriting is allowed; otherwise a hard link, which
    /// fails if a file appeared at `PATH` since the start, then the part removed.
    private func publish() throws(PMTilesError) {
        if overwrite {
            guard rename(partPath, path) == 0 else { throw PMTilesFileHandle.failure(errno, path: path, "cannot rename \(partPath) to it") }
            return
        }
        guard link(partPath, path) == 0 else {
            let code = errno
            if code == EEXIST { throw PMTilesError(.exists, path: path, "the file appeared while exporting; \(partPath) holds the archive") }
            throw PMTilesFileHandle.failure(code, path: path, "cannot rename \(partPath) to it")
        }
        unlink(partPath)
    }
}
