/// The protobuf wire format, as much of it as `OSMPBFWriter` needs: varints, zigzag, length-
/// delimited fields and packed repeated numbers. (Test support cannot use CairnVectorTile's.)
struct ProtobufMessageWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    private mutating func key(_ field: Int, wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    /// An int32/int64/uint32/enum field.
    mutating func uint(_ field: Int, _ value: UInt64) {
        key(field, wireType: 0)
        varint(value)
    }

    mutating func int(_ field: Int, _ value: Int64) { uint(field, UInt64(bitPattern: value)) }

    mutating func sint(_ field: Int, _ value: Int64) { uint(field, Self.zigzag(value)) }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, wireType: 2)
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    mutating func message(_ field: Int, _ build: (inout ProtobufMessageWriter) -> Void) {
        var inner = ProtobufMessageWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }

    /// A packed repeated uint32/int32/enum field (nothing when `values` is empty).
    mutating func packedUInt(_ field: Int, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        var inner = ProtobufMessageWriter()
        for value in values { inner.varint(value) }
        bytes(field, inner.bytes)
    }

    /// A packed repeated sint32/sint64 field, each value delta-coded from the one before when `delta`.
    mutating func packedSInt(_ field: Int, _ values: [Int64], delta: Bool) {
        guard !values.isEmpty else { return }
        var inner = ProtobufMessageWriter()
        var previous: Int64 = 0
        for value in values {
            inner.varint(Self.zigzag(delta ? value - previous : value))
            previous = value
        }
        bytes(field, inner.bytes)
    }
}
