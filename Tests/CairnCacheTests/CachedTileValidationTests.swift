import CairnCore
import CairnZlib
import Foundation
import Testing
@testable import CairnCache

/// What `CachedTile.problem(expecting:)` lets through and what it stops, on real fixture PNGs.
struct CachedTileValidationTests {
    static let png = MBTilesTestSupport.fixtureTiles[0].1

    func tile(_ data: [UInt8], checksum: UInt32?) -> CachedTile {
        CachedTile(data: data, etag: "\"e\"", fingerprint: "v1", checksum: checksum)
    }

    @Test func anIntactPNGPassesWithAndWithoutItsChecksum() {
        #expect(tile(Self.png, checksum: Zlib.crc32(Self.png)).problem(expecting: .png(side: 256)) == nil)
        #expect(tile(Self.png, checksum: nil).problem(expecting: .png(side: 256)) == nil)
        #expect(tile(Self.png, checksum: nil).problem(expecting: .png(side: nil)) == nil)
    }

    @Test func htmlIsNotAPNG() {
        let html = Array("<html><body>hello</body></html>".utf8)
        // The checksum written with the original image no longer matches ...
        #expect(tile(html, checksum: Zlib.crc32(Self.png)).problem(expecting: .png(side: 256))?.contains("CRC-32") == true)
        // ... and without one the structure gives it away.
        #expect(tile(html, checksum: nil).problem(expecting: .png(side: 256))?.contains("not a PNG") == true)
        let padded = html + [UInt8](repeating: 0x20, count: 100)
        #expect(tile(padded, checksum: nil).problem(expecting: .png(side: 256))?.contains("signature") == true)
    }

    @Test func aFlippedByteOrATruncationIsCaught() {
        var flipped = Self.png
        flipped[flipped.count / 2] ^= 0x40
        #expect(tile(flipped, checksum: Zlib.crc32(Self.png)).problem(expecting: .png(side: 256)) != nil)
        // Without a stored checksum, the chunk's own CRC catches it.
        #expect(tile(flipped, checksum: nil).problem(expecting: .png(side: 256))?.contains("CRC of the chunk") == true)
        let truncated = Array(Self.png.prefix(Self.png.count - 20))
        #expect(tile(truncated, checksum: nil).problem(expecting: .png(side: 256))?.contains("IEND") == true)
    }

    @Test func aPNGOfTheWrongSizeIsNotATileHere() {
        #expect(tile(Self.png, checksum: nil).problem(expecting: .png(side: 512))?.contains("256x256") == true)
    }

    @Test func vectorTilesMustBeGzip() throws {
        let gzip = try Zlib.gzip(Array(repeating: 7, count: 300))
        #expect(tile(gzip, checksum: Zlib.crc32(gzip)).problem(expecting: .gzipVectorTile) == nil)
        #expect(tile(gzip, checksum: nil).problem(expecting: .gzipVectorTile) == nil)
        #expect(tile(Self.png, checksum: nil).problem(expecting: .gzipVectorTile)?.contains("gzip header") == true)
        var damaged = gzip
        damaged[damaged.count - 6] ^= 0xFF  // the trailer's CRC
        #expect(tile(damaged, checksum: nil).problem(expecting: .gzipVectorTile)?.contains("damaged gzip") == true)
    }

    /// The hot-path cost, printed for the record: checksum plus header checks of a ~30 KB PNG.
    @Test func checkingA30KBPNGCostsMicroseconds() {
        // A real PNG's header and trailer around ~30 KB of chunk data (an ancillary chunk).
        var data = Array(Self.png.prefix(33))
        var payload = [UInt8](repeating: 0, count: 30_000)
        var seed: UInt32 = 1
        for index in payload.indices { seed = seed &* 1_664_525 &+ 1_013_904_223; payload[index] = UInt8(truncatingIfNeeded: seed >> 24) }
        let chunk = Array("tEXt".utf8) + payload
        data += [0, 0, 0x75, 0x30] + chunk
        let crc = Zlib.crc32(chunk)
        data += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        data += Array(Self.png.suffix(12))
        let cached = tile(data, checksum: Zlib.crc32(data))
        #expect(cached.problem(expecting: .png(side: 256)) == nil)
        let rounds = 2000
        let clock = ContinuousClock()
        var failures = 0
        let elapsed = clock.measure {
            for _ in 0..<rounds where cached.problem(expecting: .png(side: 256)) != nil { failures += 1 }
        }
        #expect(failures == 0)
        var sum: UInt32 = 0
        let crcOnly = clock.measure { for _ in 0..<rounds { sum &+= Zlib.crc32(data) } }
        func perTile(_ duration: Duration) -> Int {
            Int(Double(duration.components.attoseconds / 1_000_000_000 + duration.components.seconds * 1_000_000_000) / Double(rounds))
        }
        print("checking a \(data.count)-byte cached PNG: \(perTile(elapsed)) ns per tile (its CRC-32 alone: \(perTile(crcOnly)) ns; \(sum % 2))")
    }
}
