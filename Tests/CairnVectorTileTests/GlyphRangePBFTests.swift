import CairnVectorTile
import Testing

/// MapLibre's glyph protobuf: what Cairn writes reads back, field by field, and the bytes are the
/// wire format `glyphs.proto` describes (checked against a hand-assembled message).
@Suite struct GlyphRangePBFTests {
    @Test func encodedRangesDecodeToTheSameGlyphs() throws {
        let stack = GlyphRangePBF.Stack(name: "Noto Sans Regular,Arial Unicode MS Regular", range: "7680-7935", glyphs: [
            .init(id: 0x1EC7, bitmap: [UInt8](repeating: 191, count: (11 + 6) * (22 + 6)), width: 11, height: 22, left: 1, top: 18, advance: 13),
            .init(id: 0x0303, bitmap: [UInt8](repeating: 7, count: 15 * 9), width: 9, height: 3, left: -12, top: 18, advance: 0),
            .init(id: 0x20, bitmap: [], width: 0, height: 0, left: 0, top: 0, advance: 6),
        ])
        let decoded = try GlyphRangePBF.decode(GlyphRangePBF.encode(stack))
        #expect(decoded == [stack])
    }

    @Test func wireFormatIsGlyphsProto() throws {
        let glyph = GlyphRangePBF.Glyph(id: 65, bitmap: [1, 2], width: 1, height: 2, left: -1, top: 3, advance: 4)
        let bytes = GlyphRangePBF.encode(.init(name: "A", range: "0-255", glyphs: [glyph]))
        // glyph: id=65, bitmap=[1,2], width=1, height=2, left=zigzag(-1)=1, top=zigzag(3)=6, advance=4
        let glyphMessage: [UInt8] = [0x08, 65, 0x12, 2, 1, 2, 0x18, 1, 0x20, 2, 0x28, 1, 0x30, 6, 0x38, 4]
        let stackMessage: [UInt8] = [0x0a, 1, 65, 0x12, 5] + Array("0-255".utf8) + [0x1a, UInt8(glyphMessage.count)] + glyphMessage
        #expect(bytes == [0x0a, UInt8(stackMessage.count)] + stackMessage)
    }

    @Test func truncatedMessagesThrow() {
        let bytes = GlyphRangePBF.encode(.init(name: "A", range: "0-255", glyphs: [.init(id: 65, bitmap: [1], width: 0, height: 0, left: 0, top: 0, advance: 1)]))
        #expect(throws: VectorTileError.self) { try GlyphRangePBF.decode(Array(bytes.dropLast(3))) }
    }
}
