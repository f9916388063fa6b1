import CairnZlib

/// What a cached tile must be for the bytes to be sent: the format its cache file holds.
public enum CachedImageKind: Sendable, Hashable {
    /// A PNG image; `side` pixels square when given (the grid's tile size times the scale).
    case png(side: Int?)
    /// A gzip-compressed Mapbox Vector Tile.
    case gzipVectorTile
    /// A WebP image (RIFF container).
    case webp
}

extension CachedTile {
    /// Why these bytes must not be served as a tile of `kind`, or nil when they may.
    ///
    /// With the CRC-32 stored beside the image (every image written by this build) the whole
    /// image is checked against it, plus the header: enough to catch a changed blob, a page of
    /// garbage or a truncation, at the cost of one CRC pass. An image of an older file without a
    /// stored CRC is checked structurally instead: every PNG chunk's own CRC, or a full gzip
    /// decode (gzip ends with the CRC of its content).
    public func problem(expecting kind: CachedImageKind) -> String? {
        if let checksum, Zlib.crc32(data) != checksum {
            return "the image's CRC-32 does not match the one stored with it (\(data.count) bytes)"
        }
        switch kind {
        case .png(let side):
            return Self.pngProblem(data, side: side, walkChunks: checksum == nil)
        case .gzipVectorTile:
            return Self.gzipProblem(data, decode: checksum == nil)
        case .webp:
            return Self.webpProblem(data)
        }
    }

    /// RIFF header: "RIFF", the little-endian size of what follows, "WEBP".
    static func webpProblem(_ data: [UInt8]) -> String? {
        guard data.count >= 20, data[0..<4].elementsEqual("RIFF".utf8), data[8..<12].elementsEqual("WEBP".utf8) else {
            return "not a WebP: the RIFF/WEBP header is missing"
        }
        let size = Int(data[4]) | Int(data[5]) << 8 | Int(data[6]) << 16 | Int(data[7]) << 24
        guard size + 8 == data.count else { return "a truncated WebP: the RIFF header says \(size + 8) bytes, the image has \(data.count)" }
        return nil
    }

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Length 0, "IEND", and the CRC of "IEND": the last 12 bytes of every complete PNG.
    private static let pngTrailer: [UInt8] = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    static func pngProblem(_ data: [UInt8], side: Int?, walkChunks: Bool) -> String? {
        // Signature, IHDR chunk (8 + 13 + 4), IEND chunk (12).
        guard data.count >= 8 + 25 + 12 else { return "not a PNG: \(data.count) bytes is shorter than any PNG" }
        guard data[0..<8].elementsEqual(pngSignature) else { return "not a PNG: the PNG signature is missing" }
        guard uint32(data, 8) == 13, data[12..<16].elementsEqual([0x49, 0x48, 0x44, 0x52]) else {
            return "not a PNG: the first chunk is not a 13-byte IHDR"
        }
        let width = Int(uint32(data, 16)), height = Int(uint32(data, 20))
        let depth = data[24], colour = data[25]
        guard width > 0, height > 0, [1, 2, 4, 8, 16].contains(depth), [0, 2, 3, 4, 6].contains(colour) else {
            return "not a PNG: IHDR holds \(width)x\(height), bit depth \(depth), colour type \(colour)"
        }
        if let side, width != side || height != side {
            return "the PNG is \(width)x\(height) pixels; a tile here is \(side)x\(side)"
        }
        guard Zlib.crc32(Array(data[12..<29])) == uint32(data, 29) else { return "not a PNG: the IHDR chunk's CRC is wrong" }
        guard data[(data.count - 12)...].elementsEqual(pngTrailer) else { return "a truncated PNG: it does not end with IEND" }
        guard walkChunks else { return nil }
        var offset = 8
        while offset + 12 <= data.count {
            let length = Int(uint32(data, offset))
            let end = offset + 12 + length
            guard length <= Int(Int32.max), end <= data.count else { return "a damaged PNG: a chunk at byte \(offset) runs past the end" }
            if Zlib.crc32(Array(data[(offset + 4)..<(end - 4)])) != uint32(data, end - 4) {
                return "a damaged PNG: the CRC of the chunk at byte \(offset) is wrong"
            }
            offset = end
        }
        return offset == data.count ? nil : "a damaged PNG: \(data.count - offset) bytes after the last chunk"
    }

    static func gzipProblem(_ data: [UInt8], decode: Bool) -> String? {
        // Header (10) and trailer (CRC-32 and size, 8); method 8 (deflate), reserved flags clear.
        guard data.count >= 18, data[0] == 0x1f, data[1] == 0x8b, data[2] == 8, data[3] & 0xE0 == 0 else {
            return "not a gzip-compressed vector tile: the gzip header is missing"
        }
        guard decode else { return nil }
        do {
            _ = try Zlib.decompress(data, limit: 64 << 20)
            return nil
        } catch {
            return "a damaged gzip stream: \(error)"
        }
    }

    private static func uint32(_ data: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(data[offset]) << 24 | UInt32(data[offset + 1]) << 16 | UInt32(data[offset + 2]) << 8 | UInt32(data[offset + 3])
    }
}
