import CairnCore
import CairnTestSupport
import CairnZlib
import Foundation
import Testing
@testable import CairnCache

@Suite struct PMTilesEncodingTests {
    /// The reference implementation's test vectors (protomaps/PMTiles python/pmtiles/test/test_tile.py).
    @Test func varintsAsProtobufWritesThem() throws {
        var bytes: [UInt8] = []
        for value: UInt64 in [0, 1, 127, 624485] { PMTilesVarint.append(value, to: &bytes) }
        #expect(bytes == [0x00, 0x01, 0x7F, 0xE5, 0x8E, 0x26])
        var position = 0
        var read: [UInt64] = []
        while position < bytes.count { read.append(try PMTilesVarint.read(bytes, at: &position)) }
        #expect(read == [0, 1, 127, 624485])
        var large: [UInt8] = []
        PMTilesVarint.append(.max, to: &large)
        #expect(large.count == 10)
        position = 0
        #expect(try PMTilesVarint.read(large, at: &position) == .max)
        position = 0
        #expect(throws: PMTilesError.self) { try PMTilesVarint.read([0x80, 0x80], at: &position) }
        position = 0
        #expect(throws: PMTilesError.self) { try PMTilesVarint.read([UInt8](repeating: 0xFF, count: 10) + [0x01], at: &position) }
    }

    /// The spec's table (chapter 4.1) and the reference implementation's values.
    @Test func hilbertTileIDs() {
        let known: [(Int, Int, Int, UInt64)] = [(0, 0, 0, 0), (1, 0, 0, 1), (1, 0, 1, 2), (1, 1, 1, 3), (1, 1, 0, 4), (2, 0, 0, 5),
                                                (12, 3423, 1763, 19_078_479)]
        for (z, x, y, id) in known {
            #expect(PMTilesTileID.id(z: z, x: x, y: y) == id, "\(z)/\(x)/\(y)")
            #expect(PMTilesTileID.coordinate(of: id) == (z, x, y), "\(id)")
        }
        // Every tile to z6 round-trips and ids are dense: each zoom fills its range exactly once.
        for z in 0...6 {
            var seen = Set<UInt64>()
            let first = ((UInt64(1) << (2 * UInt64(z))) - 1) / 3
            for x in 0..<(1 << z) {
                for y in 0..<(1 << z) {
                    let id = PMTilesTileID.id(z: z, x: x, y: y)
                    seen.insert(id)
                    #expect(PMTilesTileID.coordinate(of: id) == (z, x, y))
                }
            }
            #expect(seen == Set(first..<(first + UInt64(1) << (2 * UInt64(z)))))
        }
        // The corners of every zoom PMTiles can address.
        for z in 0...31 {
            let last = (1 << z) - 1
            for (x, y) in [(0, 0), (last, 0), (0, last), (last, last)] {
                #expect(PMTilesTileID.coordinate(of: PMTilesTileID.id(z: z, x: x, y: y)) == (z, x, y))
            }
        }
        // Neighbours along the curve are neighbours on the map (what clustering relies on).
        for id in UInt64(5461)..<UInt64(5461 + 4095) {
            let a = PMTilesTileID.coordinate(of: id), b = PMTilesTileID.coordinate(of: id + 1)
            #expect(abs(a.x - b.x) + abs(a.y - b.y) == 1)
        }
    }

    @Test func directoryRoundTripWithContiguousAndRepeatedOffsets() throws {
        let entries = [
            PMTilesEntry(tileID: 0, offset: 0, length: 100, runLength: 1),
            PMTilesEntry(tileID: 1, offset: 100, length: 20, runLength: 3),   // right after: encoded as 0
            PMTilesEntry(tileID: 4, offset: 0, length: 100, runLength: 1),    // a repeat of the first tile
            PMTilesEntry(tileID: 9, offset: 120, length: 7, runLength: 1),
            PMTilesEntry(tileID: 1_000_000_000, offset: 127, length: 5, runLength: 40),
        ]
        let encoded = PMTilesDirectory.encode(entries)
        // count 5; id deltas 0 1 3 5 999999991; runs; lengths; offsets 1, 0, 1, 121, 0.
        #expect(encoded.prefix(5) == [5, 0, 1, 3, 5])
        #expect(encoded.suffix(5) == [1, 0, 1, 121, 0])
        let decoded = try PMTilesReading.decodeDirectory(try Zlib.gzip(encoded))
        #expect(decoded == entries)
    }

    /// More entries than fit in 16 KiB compressed: leaves, each a valid directory, indexed by a
    /// root that fits, in tile id order, and together exactly the entries.
    @Test func leafDirectoriesWhenTheRootWouldNotFit() throws {
        var random = SplitMix64(seed: 16)
        var entries: [PMTilesEntry] = []
        var id: UInt64 = 100
        var offset: UInt64 = 0
        for _ in 0..<60_000 {
            id += 1 + random.next() % 5
            let length = UInt32(50 + random.next() % 5000)
            // A third of the tiles repeat an earlier blob: offsets that do not follow on.
            if random.next() % 3 == 0, offset > 0 {
                entries.append(PMTilesEntry(tileID: id, offset: random.next() % offset, length: length, runLength: 1))
            } else {
                entries.append(PMTilesEntry(tileID: id, offset: offset, length: length, runLength: UInt32(1 + random.next() % 3)))
                offset += UInt64(length)
            }
        }
        #expect(try Zlib.gzip(PMTilesDirectory.encode(entries)).count > PMTilesDirectory.maxRootBytes)
        let (root, leaves, leafCount) = try PMTilesDirectory.layout(entries)
        #expect(root.count <= PMTilesDirectory.maxRootBytes)
        #expect(leafCount > 1)
        let rootEntries = try PMTilesReading.decodeDirectory(root)
        #expect(rootEntries.count == leafCount)
        #expect(rootEntries.allSatisfy { $0.runLength == 0 })
        #expect(rootEntries.map(\.tileID) == rootEntries.map(\.tileID).sorted())
        var expanded: [PMTilesEntry] = []
        var next: UInt64 = 0
        for leaf in rootEntries {
            #expect(leaf.offset == next, "leaves are contiguous")
            next = leaf.offset + UInt64(leaf.length)
            expanded += try PMTilesReading.decodeDirectory(Array(leaves[Int(leaf.offset)..<Int(next)]))
        }
        #expect(next == UInt64(leaves.count))
        #expect(expanded == entries)

        // A root limit too small for the first leaf size doubles the leaves until it fits.
        let (smallRoot, _, fewer) = try PMTilesDirectory.layout(entries, maxRootBytes: 40, initialLeafEntries: 1000)
        #expect(smallRoot.count <= 40 && fewer < 60)
    }

    @Test func headerIs127BytesWithTheSpecsLayout() throws {
        var header = PMTilesHeader()
        header.rootOffset = 127
        header.rootLength = 300
        header.tileDataOffset = 0x0102030405060708
        header.tileType = .mvt
        header.tileCompression = .gzip
        header.minZoom = 3
        header.maxZoom = 14
        header.bounds = BoundingBox(minX: 106.5, minY: 20.5, maxX: -0.0000001, maxY: 21.25)
        header.centerZoom = 12
        header.centerLongitude = 106.68
        header.centerLatitude = -20.85
        let bytes = header.bytes
        #expect(bytes.count == 127)
        let read = try PMTilesReading(bytes: bytes)
        #expect(read.header.rootOffset == 127 && read.header.rootLength == 300)
        #expect(Array(bytes[56..<64]) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(read.header.tileType == 1 && read.header.tileCompression == 2 && read.header.internalCompression == 2 && read.header.clustered)
        #expect(read.header.minZoom == 3 && read.header.maxZoom == 14 && read.header.centerZoom == 12)
        #expect(read.header.minLongitude == 106.5 && read.header.maxLongitude == -0.0000001 && read.header.maxLatitude == 21.25)
        #expect(read.header.centerLongitude == 106.68 && read.header.centerLatitude == -20.85)
    }
}

@Suite struct PMTilesWriterTests {
    static func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-pmtiles-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    static func description(_ metadata: String = #"{"name":"test"}"#) -> PMTilesWriter.Description {
        PMTilesWriter.Description(tileType: .png, tileCompression: .none, bounds: BoundingBox(minX: 106, minY: 20, maxX: 107.5, maxY: 21.5),
                                  centerLongitude: 106.7, centerLatitude: 20.9, centerZoom: 30, metadata: Array(metadata.utf8))
    }

    /// Tiles added in any order come back by z/x/y; identical tiles are stored once, neighbours
    /// with the same bytes form one run, the data is clustered, and the counts are the header's.
    @Test func deduplicatesRunsAndClusters() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/out.pmtiles"
        let writer = try PMTilesWriter(path: path, overwrite: false)
        #expect(FileManager.default.fileExists(atPath: path + ".part"))
        let sea = [UInt8](repeating: 7, count: 90)
        var expected: [TileCoordinate: [UInt8]] = [:]
        // z0-4 everywhere, in a scrambled order: sea except a few land tiles.
        var tiles: [TileCoordinate] = []
        for z in 0...4 { for x in 0..<(1 << z) { for y in 0..<(1 << z) { tiles.append(TileCoordinate(z: z, x: x, y: y)) } } }
        var random = SplitMix64(seed: 3)
        tiles.shuffle(using: &random)
        for tile in tiles {
            let land = (tile.x + tile.y) % 7 == 0
            let data = land ? Array("land \(tile)".utf8) : sea
            expected[tile] = data
            try writer.add(tile, data: data)
        }
        let summary = try writer.finish(Self.description())
        #expect(!FileManager.default.fileExists(atPath: path + ".part"))
        let distinct = Set(expected.values).count
        #expect(summary.addressedTiles == tiles.count && summary.tileContents == distinct)
        #expect(summary.tileEntries < tiles.count, "runs of sea tiles share entries")
        #expect(summary.undeduplicatedBytes == expected.values.reduce(0) { $0 + $1.count })

        let archive = try PMTilesReading(path: path)
        #expect(archive.header.addressedTiles == tiles.count && archive.header.tileContents == distinct && archive.header.tileEntries == summary.tileEntries)
        #expect(archive.header.minZoom == 0 && archive.header.maxZoom == 4 && archive.header.centerZoom == 4)
        #expect(archive.header.tileType == 2 && archive.header.tileCompression == 1 && archive.header.clustered)
        #expect(archive.header.rootOffset == 127 && archive.header.tileDataOffset + archive.header.tileDataLength == archive.bytes.count)
        #expect(try archive.metadata["name"] as? String == "test")
        let entries = try archive.tileEntries
        for (tile, data) in expected { #expect(archive.tile(tile, entries: entries) == data, "\(tile)") }
        #expect(archive.tile(TileCoordinate(z: 5, x: 0, y: 0), entries: entries) == nil)
        // Clustered: each entry's offset follows on from the data so far, or points back to earlier data.
        var end: UInt64 = 0
        for entry in entries {
            #expect(entry.offset == end || entry.offset + UInt64(entry.length) <= end)
            end = max(end, entry.offset + UInt64(entry.length))
        }
        #expect(end == UInt64(archive.header.tileDataLength))
    }

    @Test func largeArchivesGetLeafDirectoriesReadersFollow() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/many.pmtiles"
        let writer = try PMTilesWriter(path: path, overwrite: false)
        // 65536 distinct tiles at z8 of random lengths: too many entries for one 16 KiB root.
        var random = SplitMix64(seed: 8)
        func data(_ x: Int, _ y: Int) -> [UInt8] { Array("\(x),\(y)".utf8) + [UInt8](repeating: 1, count: Int(random.next() % 200)) }
        var expected: [TileCoordinate: [UInt8]] = [:]
        for x in 0..<256 {
            for y in 0..<256 {
                let tile = TileCoordinate(z: 8, x: x, y: y)
                expected[tile] = data(x, y)
                try writer.add(tile, data: expected[tile]!)
            }
        }
        let summary = try writer.finish(Self.description())
        #expect(summary.leafDirectories > 0 && summary.rootDirectoryBytes <= PMTilesDirectory.maxRootBytes)
        let archive = try PMTilesReading(path: path)
        #expect(archive.header.leavesLength > 0 && archive.header.rootOffset + archive.header.rootLength <= 16_384)
        let entries = try archive.tileEntries
        #expect(entries.count == 65_536)
        for (tile, bytes) in expected where tile.x % 17 == 0 {
            #expect(archive.tile(tile, entries: entries) == bytes)
        }
    }

    @Test func keepsAnExistingFileUnlessAllowedAndLeavesNothingWhenAbandoned() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/out.pmtiles"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
        #expect { try PMTilesWriter(path: path, overwrite: false) } throws: { ($0 as? PMTilesError)?.code == .exists }
        do {
            let writer = try PMTilesWriter(path: path, overwrite: true)
            try writer.add(TileCoordinate(z: 0, x: 0, y: 0), data: [1, 2, 3])
            // Dropped without finishing (an export that failed): the part file goes, the old file stays.
        }
        #expect(!FileManager.default.fileExists(atPath: path + ".part"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.pmtiles"], "no spool left behind")

        let writer = try PMTilesWriter(path: path, overwrite: true)
        try writer.add(TileCoordinate(z: 0, x: 0, y: 0), data: [1, 2, 3])
        #expect { try writer.add(TileCoordinate(z: 1, x: 2, y: 0), data: [1]) } throws: { ($0 as? PMTilesError)?.code == .invalidTiles }
        #expect { try writer.add(TileCoordinate(z: 1, x: 0, y: 0), data: []) } throws: { ($0 as? PMTilesError)?.code == .invalidTiles }
        try writer.add(TileCoordinate(z: 0, x: 0, y: 0), data: [4])
        #expect { try writer.finish(Self.description()) } throws: { ($0 as? PMTilesError)?.message.contains("0/0/0 was added twice") == true }
    }

    @Test func anUnwritableFolderFailsAtOnceNamingTheFile() throws {
        let path = "/proc/cairn-no-such-place/out.pmtiles"
        #expect { try PMTilesWriter(path: path, overwrite: false) } throws: { error in
            guard let error = error as? PMTilesError else { return false }
            return error.code == .io && error.description.hasPrefix(path + ".part: cannot create the file: ")
        }
    }
}
