@testable import CairnRender
import CairnFreeType
import Testing

/// Glyph ranges for MapLibre from the installed fonts (fonts-noto-core, fonts-dejavu-core, which
/// scripts/install-server-deps installs): metrics, distance-field sizes, Vietnamese coverage and
/// fallback along the font stack as the raster renderer's Pango falls back.
@Suite struct GlyphRangeRendererTests {
    static func glyphs(_ stack: [String], _ start: Int) throws -> [UInt32: SDFGlyph] {
        Dictionary(uniqueKeysWithValues: try GlyphRangeRenderer.render(fontstack: stack, start: start).map { ($0.codePoint, $0) })
    }

    @Test func basicLatinHasMetricsAndDistanceFields() throws {
        let glyphs = try Self.glyphs(["Noto Sans Regular"], 0)
        #expect(glyphs.keys.allSatisfy { $0 < 256 })
        for codePoint in UInt32(0x21)...0x7E {
            let glyph = try #require(glyphs[codePoint], "U+\(String(codePoint, radix: 16))")
            #expect(glyph.width > 0 && glyph.height > 0 && glyph.advance > 0)
            #expect(glyph.bitmap.count == (glyph.width + 6) * (glyph.height + 6))
        }
        // Capitals at 24 px: Noto Sans's cap height is 0.714 em, about 17 px above the baseline.
        let a = try #require(glyphs[0x41])
        #expect((16...18).contains(a.top) && (16...18).contains(a.height))
        #expect((14...16).contains(a.advance))
        // A descender reaches below the baseline.
        let p = try #require(glyphs[0x70])
        #expect(p.top - p.height < -3)
        // The space has an advance and no ink.
        let space = try #require(glyphs[0x20])
        #expect(space.bitmap.isEmpty && space.width == 0 && space.advance > 0)
        // Inside bright, outside dark, the outline at 191: the centre of 'l' is inside.
        let l = try #require(glyphs[0x6C])
        let columns = l.width + 6
        #expect(l.bitmap[(3 + l.height / 2) * columns + 3 + l.width / 2] > 191)
        #expect(l.bitmap[0] < 100, "the corner is outside, about 4 px from the outline")
        #expect(l.bitmap.contains { (150...230).contains($0) })
    }

    @Test func vietnameseLettersAndCombiningMarksArePresent() throws {
        let extended = try Self.glyphs(["Noto Sans Regular"], 7680)
        for codePoint in UInt32(0x1EA0)...0x1EF9 {
            let glyph = try #require(extended[codePoint], "U+\(String(codePoint, radix: 16))")
            #expect(glyph.bitmap.count == (glyph.width + 6) * (glyph.height + 6) && glyph.width > 0)
        }
        // ệ carries marks above and below: taller than e.
        let latin = try Self.glyphs(["Noto Sans Regular"], 0)
        let eWithMarks = try #require(extended[0x1EC7]), e = try #require(latin[0x65])
        #expect(eWithMarks.height > e.height + 6)
        // Đ đ Ơ ơ Ư ư (Latin Extended-A/B) and the combining marks NFD text uses.
        let extendedA = try Self.glyphs(["Noto Sans Regular"], 256)
        for codePoint: UInt32 in [0x110, 0x111, 0x1A0, 0x1A1, 0x1AF, 0x1B0] { #expect(extendedA[codePoint] != nil, "U+\(String(codePoint, radix: 16))") }
        let marks = try Self.glyphs(["Noto Sans Regular"], 768)
        for codePoint: UInt32 in [0x300, 0x301, 0x303, 0x309, 0x323] {
            let mark = try #require(marks[codePoint], "U+\(String(codePoint, radix: 16))")
            #expect(mark.advance == 0 && mark.left < 0, "a combining mark sits over the letter before it")
        }
    }

    @Test func missingGlyphsFallBackAlongTheStack() throws {
        // Noto Sans Math has Latin letters but no Vietnamese: ệ comes from the next font, Noto Serif.
        let stack = ["Noto Sans Math Regular", "Noto Serif Regular"]
        let latin = try Self.glyphs(stack, 0), vietnamese = try Self.glyphs(stack, 7680)
        let math = try Self.glyphs(["Noto Sans Math Regular"], 0), serif = try Self.glyphs(["Noto Serif Regular"], 0)
        let serifVietnamese = try Self.glyphs(["Noto Serif Regular"], 7680), sansVietnamese = try Self.glyphs(["Noto Sans Regular"], 7680)
        #expect(latin[0x41] != nil && latin[0x41] == math[0x41])
        #expect(latin[0x41] != serif[0x41])
        #expect(vietnamese[0x1EC7] != nil && vietnamese[0x1EC7] == serifVietnamese[0x1EC7])
        #expect(vietnamese[0x1EC7] != sansVietnamese[0x1EC7])
    }

    @Test func unknownFontsFallBackToTheDefaultFont() throws {
        let unknown = try GlyphRangeRenderer.render(fontstack: ["No Such Font Regular"], start: 0)
        let fallback = try GlyphRangeRenderer.render(fontstack: ["\(FontStack.fallbackFamily) Book"], start: 0)
        #expect(!unknown.isEmpty)
        #expect(unknown == fallback)
    }

    @Test func boldIsHeavierThanRegular() throws {
        let regular = try #require(try Self.glyphs(["Noto Sans Regular"], 0)[0x6C])
        let bold = try #require(try Self.glyphs(["Noto Sans Bold"], 0)[0x6C])
        // More of the field is inside the outline.
        #expect(bold.bitmap.filter { $0 >= 191 }.count > regular.bitmap.filter { $0 >= 191 }.count)
    }

    @Test func rangesWithoutAnyFontAreEmpty() throws {
        // The private use area: no installed font draws it.
        #expect(try GlyphRangeRenderer.render(fontstack: ["Noto Sans Regular"], start: 0xE000).isEmpty)
    }
}
