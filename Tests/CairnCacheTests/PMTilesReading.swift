import CairnCache
import CairnCore
import CairnZlib
import Foundation

/// A small PMTiles v3 reader written from the spec for the tests (independent of the writer's
/// encoding code): the header, directories (root and leaves) and tile lookup by z/x/y.
struct PMTilesReading {
    struct Header {
        var rootOffset, rootLength, metadataOffset, metadataLength, leavesOffset, leavesLength: Int
        var tileDataOffset, tileDataLength, addressedTiles, tileEntries, tileContents: Int
        var clustered: Bool
        var internalCompression, tileCompression, tileType, minZoom, maxZoom, centerZoom: Int
        var minLongitude, minLatitude, maxLongitude, maxLatitude, centerLongitude, centerLatitude: Double
    }

    let bytes: [UInt8]
    let header: Header

    init(path: String) throws {
        try self.init(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }

    init(bytes: [UInt8]) throws {
        self.bytes = bytes
        guard bytes.count >= 127, Array(bytes[0..<7]) == Array("PMTiles".utf8), bytes[7] == 3 else { throw ReadError("not a PMTiles v3 archive") }
        func u64(_ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        func degrees(_ at: Int) -> Double {
            Double(Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) })) / 10_000_000
        }
        header = Header(rootOffset: u64(8), rootLength: u64(16), metadataOffset: u64(24), metadataLength: u64(32),
                        leavesOffset: u64(40), leavesLength: u64(48), tileDataOffset: u64(56), tileDataLength: u64(64),
                        addressedTiles: u64(72), tileEntries: u64(80), tileContents: u64(88), clustered: bytes[96] == 1,
                        internalCompression: Int(bytes[97]), tileCompression: Int(bytes[98]), tileType: Int(bytes[99]),
                        minZoom: Int(bytes[100]), maxZoom: Int(bytes[101]), centerZoom: Int(bytes[118]),
                        minLongitude: degrees(102), minLatitude: degrees(106), maxLongitude: degrees(110), maxLatitude: degrees(114),
                        centerLongitude: degrees(119), centerLatitude: degrees(123))
    }

    /// Spec A.2, over gzip-compressed bytes.
    static func decodeDirectory(_ compressed: [UInt8]) throws -> [PMTilesEntry] {
        let bytes = try Zlib.decompress(compressed)
        var position = 0
        func varint() throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard position < bytes.count else { throw ReadError("directory ends inside a varint") }
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }
        let count = Int(try varint())
        var entries = [PMTilesEntry](repeating: PMTilesEntry(tileID: 0, offset: 0, length: 0, runLength: 0), count: count)
        var id: UInt64 = 0
        for i in 0..<count { id += try varint(); entries[i].tileID = id }
        for i in 0..<count { entries[i].runLength = UInt32(try varint()) }
        for i in 0..<count { entries[i].length = UInt32(try varint()) }
        for i in 0..<count {
            let value = try varint()
            entries[i].offset = value == 0 && i > 0 ? entries[i - 1].offset + UInt64(entries[i - 1].length) : value - 1
        }
        guard position == bytes.count else { throw ReadError("bytes after the directory's offsets") }
        return entries
    }

    var rootEntries: [PMTilesEntry] {
        get throws { try Self.decodeDirectory(Array(bytes[header.rootOffset..<(header.rootOffset + header.rootLength)])) }
    }

    /// Every tile entry, leaves expanded, in order.
    var tileEntries: [PMTilesEntry] {
        get throws {
            var result: [PMTilesEntry] = []
            for entry in try rootEntries {
                if entry.runLength > 0 { result.append(entry); continue }
                let start = header.leavesOffset + Int(entry.offset)
                let leaf = try Self.decodeDirectory(Array(bytes[start..<(start + Int(entry.length))]))
                guard leaf.first?.tileID == entry.tileID else { throw ReadError("leaf at \(entry.offset) does not start at its root entry's id") }
                result.append(contentsOf: leaf)
            }
            return result
        }
    }

    var metadata: [String: Any] {
        get throws {
            let raw = Array(bytes[header.metadataOffset..<(header.metadataOffset + header.metadataLength)])
            return try JSONSerialization.jsonObject(with: Data(try Zlib.decompress(raw))) as? [String: Any] ?? [:]
        }
    }

    /// The bytes of z/x/y, or nil when the archive has no such tile.
    func tile(_ tile: TileCoordinate, entries: [PMTilesEntry]) -> [UInt8]? {
        let id = PMTilesTileID.id(z: tile.z, x: tile.x, y: tile.y)
        // The last entry starting at or before the id.
        var low = 0, high = entries.count - 1, found = -1
        while low <= high {
            let middle = (low + high) / 2
            if entries[middle].tileID <= id { found = middle; low = middle + 1 } else { high = middle - 1 }
        }
        guard found >= 0, id < entries[found].tileID + UInt64(entries[found].runLength) else { return nil }
        let start = header.tileDataOffset + Int(entries[found].offset)
        return Array(bytes[start..<(start + Int(entries[found].length))])
    }

    struct ReadError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
