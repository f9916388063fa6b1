import CZlib

/// gzip and zlib streams, whole buffers at a time.
public enum Zlib {
    /// True when the bytes start with the gzip magic number (1f 8b).
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// True when the bytes look like a zlib (RFC 1950) stream header.
    public static func isZlib(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2 else { return false }
        let cmf = UInt16(bytes[0]), flg = UInt16(bytes[1])
        return cmf & 0x0f == 8 && (cmf << 8 | flg) % 31 == 0
    }

    /// Inflates a gzip or zlib stream (detected from its header). `limit` caps the output, so a
    /// small compressed bomb cannot allocate without bound.
    public static func decompress(_ bytes: [UInt8], limit: Int = 64 << 20) throws(ZlibError) -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 32: let zlib detect gzip or zlib headers itself.
        var status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ZlibError(code: .internalFailure, message: "inflateInit failed (\(status))") }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(min(limit, max(bytes.count * 4, 1024)))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let result: ZlibError? = bytes.withUnsafeBufferPointer { input -> ZlibError? in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return buffer.count - Int(stream.avail_out)
                }
                if status != Z_OK && status != Z_STREAM_END {
                    let detail = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    return ZlibError(code: .corrupt, message: "corrupt compressed data: \(detail)")
                }
                if output.count + produced > limit {
                    return ZlibError(code: .tooLarge, message: "decompressed data exceeds \(limit) bytes")
                }
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_OK && produced == 0 && stream.avail_in == 0 {
                    return ZlibError(code: .corrupt, message: "corrupt compressed data: stream ends early")
                }
            } while status != Z_STREAM_END
            return nil
        }
        if let result { throw result }
        return output
    }

    /// Deflates into a gzip stream (RFC 1952), as HTTP `Content-Encoding: gzip` and MBTiles vector tiles expect.
    public static func gzip(_ bytes: [UInt8], level: Int32 = 6) throws(ZlibError) -> [UInt8] {
        try deflateStream(bytes, level: level, windowBits: 15 + 16)
    }

    /// Deflates into a zlib stream (RFC 1950).
    public static func zlib(_ bytes: [UInt8], level: Int32 = 6) throws(ZlibError) -> [UInt8] {
        try deflateStream(bytes, level: level, windowBits: 15)
    }

    private static func deflateStream(_ bytes: [UInt8], level: Int32, windowBits: Int32) throws(ZlibError) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ZlibError(code: .internalFailure, message: "deflateInit failed (\(status))") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count)))
        var output = [UInt8](repeating: 0, count: bound)
        var finalStatus: Int32 = Z_OK
        var written = 0
        bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                finalStatus = deflate(&stream, Z_FINISH)
                written = out.count - Int(stream.avail_out)
            }
        }
        guard finalStatus == Z_STREAM_END else {
            throw ZlibError(code: .internalFailure, message: "deflate did not finish (\(finalStatus))")
        }
        output.removeSubrange(written...)
        return output
    }
}
