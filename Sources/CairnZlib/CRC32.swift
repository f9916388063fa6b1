import CZlib

extension Zlib {
    /// The CRC-32 (ISO-HDLC, as in PNG, gzip and zip) of `bytes`: zlib's table-driven and, where
    /// the CPU has it, carry-less-multiply implementation, a few microseconds for a 30 KB tile.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer -> UInt32 in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
            // zlib takes lengths as uInt (32 bits); cache images are far below 4 GiB, but chunk anyway.
            var crc = CZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < buffer.count {
                let length = min(buffer.count - offset, Int(Int32.max))
                crc = CZlib.crc32(crc, base + offset, uInt(length))
                offset += length
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }
}
