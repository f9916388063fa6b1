import CairnZlib

/// PMTiles directories: encoding (spec 4.2) and the split into a root directory and leaf
/// directories when one directory would not fit in the first 16 KiB of the archive.
public enum PMTilesDirectory {
    /// The header and the compressed root directory must fit in the first 16 KiB, which
    /// latency-optimised clients fetch in one request.
    public static let maxRootBytes = 16_384 - PMTilesHeader.size

    /// Entries in a leaf directory at first; doubled until the root that indexes the leaves fits.
    public static let initialLeafEntries = 4096

    /// The uncompressed encoding of `entries` (sorted by tile id): their count, the tile id
    /// deltas, the run lengths, the lengths, then the offsets, with 0 for "right after the
    /// previous entry" and offset + 1 otherwise.
    public static func encode(_ entries: [PMTilesEntry]) -> [UInt8] {
        encode(entries[...])
    }

    public static func encode(_ entries: ArraySlice<PMTilesEntry>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 4 + 8)
        PMTilesVarint.append(UInt64(entries.count), to: &bytes)
        var lastID: UInt64 = 0
        for entry in entries {
            PMTilesVarint.append(entry.tileID - lastID, to: &bytes)
            lastID = entry.tileID
        }
        for entry in entries { PMTilesVarint.append(UInt64(entry.runLength), to: &bytes) }
        for entry in entries { PMTilesVarint.append(UInt64(entry.length), to: &bytes) }
        var next: UInt64? = nil
        for entry in entries {
            PMTilesVarint.append(entry.offset == next ? 0 : entry.offset + 1, to: &bytes)
            next = entry.offset + UInt64(entry.length)
        }
        return bytes
    }

    /// The root directory and the leaf directories (concatenated, each gzip-compressed on its
    /// own) for `entries`: all in the root when it fits in `maxRootBytes` compressed, else leaves
    /// of `initialLeafEntries` entries, doubled until the root indexing them fits.
    public static func layout(_ entries: [PMTilesEntry], maxRootBytes: Int = maxRootBytes,
                              initialLeafEntries: Int = initialLeafEntries) throws(PMTilesError) -> (root: [UInt8], leaves: [UInt8], leafCount: Int) {
        let whole = try compress(encode(entries))
        if whole.count <= maxRootBytes { return (whole, [], 0) }
        var leafEntries = max(1, initialLeafEntries)
        while true {
            var root: [PMTilesEntry] = []
            var leaves: [UInt8] = []
            var start = 0
            while start < entries.count {
                let end = min(start + leafEntries, entries.count)
                let leaf = try compress(encode(entries[start..<end]))
                root.append(PMTilesEntry(tileID: entries[start].tileID, offset: UInt64(leaves.count), length: UInt32(leaf.count), runLength: 0))
                leaves.append(contentsOf: leaf)
                start = end
            }
            let rootBytes = try compress(encode(root))
            if rootBytes.count <= maxRootBytes { return (rootBytes, leaves, root.count) }
            leafEntries *= 2
        }
    }

    static func compress(_ bytes: [UInt8]) throws(PMTilesError) -> [UInt8] {
        do {
            return try Zlib.gzip(bytes)
        } catch {
            throw PMTilesError(.io, "compressing a directory failed: \(error)")
        }
    }
}
