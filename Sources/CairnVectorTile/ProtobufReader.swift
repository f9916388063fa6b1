/// Reads the protobuf wire format from borrowed bytes. Every read is checked against the end of its
/// range first, so truncated or lying input throws instead of reading past the buffer.
struct ProtobufReader {
    /// Protobuf wire types (the low three bits of a field key).
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    @inline(__always)
    mutating func readVarint() throws(VectorTileError) -> UInt64 {
        guard position < end else { throw Self.truncated("varint") }
        let first = bytes[position]
        position &+= 1
        if first < 0x80 { return UInt64(first) }
        var result = UInt64(first & 0x7f)
        var shift: UInt64 = 7
        while true {
            guard position < end else { throw Self.truncated("varint") }
            let byte = bytes[position]
            position &+= 1
            // Bits beyond 64 are dropped, as protobuf parsers do; an 11th byte is never valid.
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift &+= 7
            if shift >= 70 {
                throw VectorTileError(code: .malformed, message: "varint longer than 10 bytes at byte \(position)")
            }
        }
    }

    /// The next field key: its number (never 0) and wire type.
    mutating func readKey() throws(VectorTileError) -> (field: UInt64, wireType: WireType) {
        let at = position
        let key = try readVarint()
        let field = key >> 3
        guard field != 0, let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw VectorTileError(code: .malformed, message: "invalid field key \(key) at byte \(at)")
        }
        return (field, wireType)
    }

    /// The byte range of a length-delimited field, after checking it fits in what is left.
    mutating func readLengthDelimited() throws(VectorTileError) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end &- position) else {
            throw VectorTileError(
                code: .malformed,
                message: "length \(length) at byte \(position) runs past the end of its message (\(end &- position) bytes left)")
        }
        let start = position
        position = start &+ Int(length)
        return start..<position
    }

    mutating func readFixed32() throws(VectorTileError) -> UInt32 {
        guard end &- position >= 4 else { throw Self.truncated("fixed32") }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[position &+ i]) << (8 * UInt32(i)) }
        position &+= 4
        return value
    }

    mutating func readFixed64() throws(VectorTileError) -> UInt64 {
        guard end &- position >= 8 else { throw Self.truncated("fixed64") }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[position &+ i]) << (8 * UInt64(i)) }
        position &+= 8
        return value
    }

    func string(in range: Range<Int>) -> String {
        // Invalid UTF-8 becomes U+FFFD rather than failing the whole tile.
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Skips one field's value of any wire type. Groups (deprecated, but legal protobuf) are skipped
    /// with a depth counter rather than recursion.
    mutating func skip(_ wireType: WireType) throws(VectorTileError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .endGroup:
            throw VectorTileError(code: .malformed, message: "unexpected end-group at byte \(position)")
        case .startGroup:
            var depth = 1
            while depth > 0 {
                let (_, inner) = try readKey()
                switch inner {
                case .startGroup: depth &+= 1
                case .endGroup: depth &-= 1
                default: try skip(inner)
                }
            }
        }
    }

    /// Throws unless the field has the wire type the MVT schema gives it.
    @inline(__always)
    func expect(_ wireType: WireType, _ actual: WireType, field: @autoclosure () -> String) throws(VectorTileError) {
        guard wireType == actual else {
            throw VectorTileError(
                code: .malformed,
                message: "\(field()): expected wire type \(wireType.rawValue), found \(actual.rawValue) at byte \(position)")
        }
    }

    /// Appends a packed repeated uint32 field's values (varints truncated to 32 bits, as protobuf does).
    func readPackedUInt32(in range: Range<Int>, into values: inout [UInt32]) throws(VectorTileError) {
        var inner = ProtobufReader(bytes, range: range)
        while !inner.isAtEnd {
            values.append(UInt32(truncatingIfNeeded: try inner.readVarint()))
        }
    }

    static func truncated(_ what: String) -> VectorTileError {
        VectorTileError(code: .malformed, message: "truncated \(what)")
    }
}

/// Zigzag decoding of a 32-bit protobuf/MVT parameter.
@inline(__always)
func zigzagDecode(_ value: UInt32) -> Int32 {
    Int32(bitPattern: value >> 1) ^ (0 &- Int32(bitPattern: value & 1))
}

/// Zigzag decoding of a 64-bit protobuf `sint64`.
@inline(__always)
func zigzagDecode64(_ value: UInt64) -> Int64 {
    Int64(bitPattern: value >> 1) ^ (0 &- Int64(bitPattern: value & 1))
}
