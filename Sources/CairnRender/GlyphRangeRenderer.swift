import CairnFreeType

/// The signed-distance-field glyphs of one MapLibre glyph range (256 code points) for a font stack,
/// from the fonts the raster renderer would draw the same text with: the stack is read as Pango
/// font families, weight and style (`FontStack`), fontconfig sorts the installed fonts for them
/// as Pango's backend does, and each code point comes from the first font that has it. So a
/// missing glyph (Vietnamese in a Latin-only font) falls back along the stack, then to fontconfig's
/// substitutes, like the labels of Cairn's own tiles. Blocking and CPU bound: run it on a thread pool.
public enum GlyphRangeRenderer {
    /// Code points per range: MapLibre asks for `{start}-{start + 255}`.
    public static let rangeSize = 256
    /// The last range MapLibre asks for (the Basic Multilingual Plane).
    public static let maxStart = 65_280

    /// - Parameters:
    ///   - fontstack: the font names as a style's `text-font` lists them.
    ///   - start: the range's first code point, a multiple of 256 up to `maxStart`.
    /// - Returns: glyphs by code point, only for code points some font has.
    public static func render(fontstack: [String], start: Int) throws(FreeTypeError) -> [SDFGlyph] {
        precondition(start >= 0 && start <= maxStart && start % rangeSize == 0, "glyph range start \(start)")
        let stack = FontStack(names: fontstack)
        let slant: FontFallbackList.Slant
        switch stack.style {
        case .normal: slant = .roman
        case .italic: slant = .italic
        case .oblique: slant = .oblique
        }
        let fonts = try FontFallbackList(families: stack.families, weight: Int(stack.weight.rawValue), slant: slant)
        var faces: [Int: FreeTypeFace] = [:]
        var glyphs: [SDFGlyph] = []
        for codePoint in UInt32(start)..<UInt32(start + rangeSize) {
            guard let fontIndex = fonts.firstFont(having: codePoint) else { continue }
            let face: FreeTypeFace
            if let opened = faces[fontIndex] {
                face = opened
            } else {
                let font = fonts.fonts[fontIndex]
                face = try FreeTypeFace(path: font.path, index: font.index, pixelSize: SDFGlyph.pixelSize)
                faces[fontIndex] = face
            }
            guard let glyph = face.glyphIndex(of: codePoint), let outline = try face.outline(glyph: glyph) else { continue }
            glyphs.append(SDFGlyph(codePoint: codePoint, outline: outline))
        }
        return glyphs
    }
}
