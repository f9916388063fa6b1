/// Appends protobuf wire format to a byte array. Nested messages are written into their own
/// writer first, so their length prefix is known.
struct ProtobufWriter {
    var bytes: [UInt8] = []

    @inline(__always)
    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func writeKey(_ field: UInt64, _ wireType: ProtobufReader.WireType) {
        writeVarint(field << 3 | UInt64(wireType.rawValue))
    }

    mutating func writeVarintField(_ field: UInt64, _ value: UInt64) {
        writeKey(field, .varint)
        writeVarint(value)
    }

    mutating func writeBytesField(_ field: UInt64, _ value: [UInt8]) {
        writeKey(field, .lengthDelimited)
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeStringField(_ field: UInt64, _ value: String) {
        writeBytesField(field, Array(value.utf8))
    }

    mutating func writeFixed64Field(_ field: UInt64, _ value: UInt64) {
        writeKey(field, .fixed64)
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    mutating func writePackedField(_ field: UInt64, _ values: [UInt32]) {
        var packed = ProtobufWriter()
        for value in values { packed.writeVarint(UInt64(value)) }
        writeBytesField(field, packed.bytes)
    }
}

/// Zigzag encoding of a 32-bit MVT geometry parameter.
@inline(__always)
func zigzagEncode(_ value: Int32) -> UInt32 {
    UInt32(bitPattern: (value << 1) ^ (value >> 31))
}

/// Zigzag encoding of a 64-bit protobuf `sint64`.
@inline(__always)
func zigzagEncode64(_ value: Int64) -> UInt64 {
    UInt64(bitPattern: (value << 1) ^ (value >> 63))
}
