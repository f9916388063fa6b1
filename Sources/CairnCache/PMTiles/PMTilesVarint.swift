/// The little-endian base-128 integers (protobuf varints) PMTiles directories are made of.
public enum PMTilesVarint {
    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// The varint at `position`, which moves past it.
    /// - Throws: `PMTilesError(.malformed)` when the bytes end inside it or it overflows 64 bits.
    public static func read(_ bytes: [UInt8], at position: inout Int) throws(PMTilesError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw PMTilesError(.malformed, "a varint runs past the end of the directory") }
            let byte = bytes[position]
            position += 1
            guard shift < 64, shift < 63 || byte <= 1 else { throw PMTilesError(.malformed, "a varint is longer than 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }
}
