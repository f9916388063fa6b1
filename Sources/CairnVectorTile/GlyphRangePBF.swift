/// MapLibre's glyph range protobuf (`glyphs.proto` of node-fontnik): `glyphs { repeated fontstack
/// stacks = 1 }`, `fontstack { name = 1, range = 2, repeated glyph glyphs = 3 }`, `glyph { id = 1,
/// bitmap = 2, width = 3, height = 4, left = 5 (sint32), top = 6 (sint32), advance = 7 }`.
public enum GlyphRangePBF {
    public struct Glyph: Sendable, Equatable {
        public var id: UInt32
        /// The signed distance field, `(width + 6) × (height + 6)` bytes; empty for a glyph with no ink.
        public var bitmap: [UInt8]
        public var width: UInt32
        public var height: UInt32
        public var left: Int32
        public var top: Int32
        public var advance: UInt32

        public init(id: UInt32, bitmap: [UInt8], width: UInt32, height: UInt32, left: Int32, top: Int32, advance: UInt32) {
            self.id = id
            self.bitmap = bitmap
            self.width = width
            self.height = height
            self.left = left
            self.top = top
            self.advance = advance
        }
    }

    public struct Stack: Sendable, Equatable {
        public var name: String
        /// `"{start}-{end}"`.
        public var range: String
        public var glyphs: [Glyph]

        public init(name: String, range: String, glyphs: [Glyph]) {
            self.name = name
            self.range = range
            self.glyphs = glyphs
        }
    }

    /// One font stack's range, as a `glyphs` message.
    public static func encode(_ stack: Stack) -> [UInt8] {
        var message = ProtobufWriter()
        message.writeStringField(1, stack.name)
        message.writeStringField(2, stack.range)
        for glyph in stack.glyphs {
            var g = ProtobufWriter()
            g.writeVarintField(1, UInt64(glyph.id))
            if !glyph.bitmap.isEmpty { g.writeBytesField(2, glyph.bitmap) }
            g.writeVarintField(3, UInt64(glyph.width))
            g.writeVarintField(4, UInt64(glyph.height))
            g.writeVarintField(5, UInt64(zigzagEncode(glyph.left)))
            g.writeVarintField(6, UInt64(zigzagEncode(glyph.top)))
            g.writeVarintField(7, UInt64(glyph.advance))
            message.writeBytesField(3, g.bytes)
        }
        var glyphs = ProtobufWriter()
        glyphs.writeBytesField(1, message.bytes)
        return glyphs.bytes
    }

    /// Every font stack of a `glyphs` message; unknown fields are skipped.
    public static func decode(_ bytes: [UInt8]) throws(VectorTileError) -> [Stack] {
        try bytes.withUnsafeBufferPointer { buffer throws(VectorTileError) in
            var reader = ProtobufReader(buffer, range: 0..<buffer.count)
            var stacks: [Stack] = []
            while !reader.isAtEnd {
                let (field, wireType) = try reader.readKey()
                guard field == 1 else { try reader.skip(wireType); continue }
                try reader.expect(.lengthDelimited, wireType, field: "glyphs.stacks")
                stacks.append(try decodeStack(buffer, reader.readLengthDelimited()))
            }
            return stacks
        }
    }

    private static func decodeStack(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(VectorTileError) -> Stack {
        var reader = ProtobufReader(buffer, range: range)
        var stack = Stack(name: "", range: "", glyphs: [])
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch field {
            case 1:
                try reader.expect(.lengthDelimited, wireType, field: "fontstack.name")
                stack.name = reader.string(in: try reader.readLengthDelimited())
            case 2:
                try reader.expect(.lengthDelimited, wireType, field: "fontstack.range")
                stack.range = reader.string(in: try reader.readLengthDelimited())
            case 3:
                try reader.expect(.lengthDelimited, wireType, field: "fontstack.glyphs")
                stack.glyphs.append(try decodeGlyph(buffer, reader.readLengthDelimited()))
            default:
                try reader.skip(wireType)
            }
        }
        return stack
    }

    private static func decodeGlyph(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(VectorTileError) -> Glyph {
        var reader = ProtobufReader(buffer, range: range)
        var glyph = Glyph(id: 0, bitmap: [], width: 0, height: 0, left: 0, top: 0, advance: 0)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            if field == 2 {
                try reader.expect(.lengthDelimited, wireType, field: "glyph.bitmap")
                glyph.bitmap = Array(buffer[try reader.readLengthDelimited()])
                continue
            }
            guard (1...7).contains(field) else { try reader.skip(wireType); continue }
            try reader.expect(.varint, wireType, field: "glyph field \(field)")
            let value = try reader.readVarint()
            switch field {
            case 1: glyph.id = UInt32(truncatingIfNeeded: value)
            case 3: glyph.width = UInt32(truncatingIfNeeded: value)
            case 4: glyph.height = UInt32(truncatingIfNeeded: value)
            case 5: glyph.left = zigzagDecode(UInt32(truncatingIfNeeded: value))
            case 6: glyph.top = zigzagDecode(UInt32(truncatingIfNeeded: value))
            default: glyph.advance = UInt32(truncatingIfNeeded: value)
            }
        }
        return glyph
    }
}
