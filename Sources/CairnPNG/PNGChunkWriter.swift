internal import CLibdeflate

/// Writes a whole PNG file from ready scanlines (each prefixed by its filter type byte), deflating
/// them in one call with libdeflate: PNG is a signature and a few CRC-checked chunks around one zlib
/// stream, and whole-buffer compression is both faster and tighter than streaming zlib.
struct PNGChunkWriter {
    enum ColourType: UInt8 {
        case rgb = 2
        case palette = 3
        case rgba = 6
    }

    var width: Int
    var height: Int
    var bitDepth: UInt8
    var colourType: ColourType
    /// R, G, B per entry (palette images).
    var palette: [UInt8] = []
    /// Alpha of the first entries (palette images); empty when all are opaque.
    var transparency: [UInt8] = []

    func write(scanlines: [UInt8], level: Int) throws(PNGError) -> [UInt8] {
        guard let compressor = DeflateCompressors.compressor(level: level) else {
            throw PNGError(.encodingFailed, "libdeflate could not allocate a compressor at level \(level)")
        }
        let bound = libdeflate_zlib_compress_bound(compressor, scanlines.count)
        var size = 0
        let deflated = [UInt8](unsafeUninitializedCapacity: bound) { output, initialized in
            size = scanlines.withUnsafeBytes { input in
                libdeflate_zlib_compress(compressor, input.baseAddress, input.count, output.baseAddress, output.count)
            }
            initialized = size
        }
        guard size > 0 else { throw PNGError(.encodingFailed, "libdeflate could not compress \(scanlines.count) bytes of scanlines") }
        return write(zlibStream: deflated[..<size])
    }

    /// The file around a zlib stream of the scanlines.
    func write(zlibStream deflated: ArraySlice<UInt8>) -> [UInt8] {
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        file.reserveCapacity(deflated.count + palette.count + transparency.count + 80)
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header += [bitDepth, colourType.rawValue, 0, 0, 0]
        Self.append(chunk: "IHDR", header[...], to: &file)
        if !palette.isEmpty { Self.append(chunk: "PLTE", palette[...], to: &file) }
        if !transparency.isEmpty { Self.append(chunk: "tRNS", transparency[...], to: &file) }
        Self.append(chunk: "IDAT", deflated, to: &file)
        Self.append(chunk: "IEND", [][...], to: &file)
        return file
    }

    private static func append(chunk type: String, _ data: ArraySlice<UInt8>, to file: inout [UInt8]) {
        file.appendBigEndian(UInt32(data.count))
        let start = file.count
        file += Array(type.utf8)
        file += data
        let crc = file[start...].withUnsafeBytes { UInt32(libdeflate_crc32(0, $0.baseAddress, $0.count)) }
        file.appendBigEndian(crc)
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8(value >> 16 & 0xFF))
        append(UInt8(value >> 8 & 0xFF))
        append(UInt8(value & 0xFF))
    }
}
