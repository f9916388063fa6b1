internal import CFontconfig

/// The fonts fontconfig offers for a family list, weight and slant, best first, as Pango's
/// fontconfig backend asks for them (`FcConfigSubstitute`, `FcDefaultSubstitute`, `FcFontSort`):
/// a character is drawn with the first font whose character set has it. Not thread-safe; use it
/// on one thread.
public final class FontFallbackList {
    /// Slant as fontconfig names it.
    public enum Slant: Sendable { case roman, italic, oblique }

    /// A font file and the face within it.
    public struct Font: Sendable, Hashable {
        public let path: String
        public let index: Int
    }

    public let fonts: [Font]
    private let fontSet: UnsafeMutablePointer<FcFontSet>?
    private let charsets: [OpaquePointer?]

    /// - Parameters:
    ///   - families: tried in order; fontconfig appends its own substitutes.
    ///   - weight: OpenType weight (100 thin … 400 regular … 700 bold … 900 black).
    public init(families: [String], weight: Int, slant: Slant) throws(FreeTypeError) {
        guard FcInit() != 0, let pattern = FcPatternCreate() else {
            throw FreeTypeError(code: 0, message: "fontconfig could not be initialised")
        }
        defer { FcPatternDestroy(pattern) }
        for family in families {
            _ = family.withCString { name in
                name.withMemoryRebound(to: FcChar8.self, capacity: family.utf8.count + 1) { FcPatternAddString(pattern, FC_FAMILY, $0) }
            }
        }
        FcPatternAddInteger(pattern, FC_WEIGHT, FcWeightFromOpenType(Int32(weight)))
        let fcSlant: Int32
        switch slant {
        case .roman: fcSlant = FC_SLANT_ROMAN
        case .italic: fcSlant = FC_SLANT_ITALIC
        case .oblique: fcSlant = FC_SLANT_OBLIQUE
        }
        FcPatternAddInteger(pattern, FC_SLANT, fcSlant)
        FcConfigSubstitute(nil, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultMatch
        // Trimmed: a font that adds no characters to those before it is never the first to have one.
        guard let set = FcFontSort(nil, pattern, 1, nil, &result), result == FcResultMatch else {
            throw FreeTypeError(code: 0, message: "fontconfig found no font for \(families.joined(separator: ", "))")
        }
        var fonts: [Font] = []
        var charsets: [OpaquePointer?] = []
        for i in 0..<Int(set.pointee.nfont) {
            guard let font = set.pointee.fonts[i] else { continue }
            var file: UnsafeMutablePointer<FcChar8>?
            guard FcPatternGetString(font, FC_FILE, 0, &file) == FcResultMatch, let file else { continue }
            var index: Int32 = 0
            if FcPatternGetInteger(font, FC_INDEX, 0, &index) != FcResultMatch { index = 0 }
            var charset: OpaquePointer?
            if FcPatternGetCharSet(font, FC_CHARSET, 0, &charset) != FcResultMatch { charset = nil }
            fonts.append(Font(path: String(cString: UnsafeRawPointer(file).assumingMemoryBound(to: CChar.self)), index: Int(index)))
            charsets.append(charset)
        }
        guard !fonts.isEmpty else {
            FcFontSetDestroy(set)
            throw FreeTypeError(code: 0, message: "fontconfig found no font file for \(families.joined(separator: ", "))")
        }
        self.fonts = fonts
        self.charsets = charsets
        fontSet = set
    }

    deinit {
        if let fontSet { FcFontSetDestroy(fontSet) }
    }

    /// The position in `fonts` of the first font that has `codePoint`, or nil when none has it.
    public func firstFont(having codePoint: UInt32) -> Int? {
        for (i, charset) in charsets.enumerated() {
            guard let charset else { continue }
            if FcCharSetHasChar(charset, codePoint) != 0 { return i }
        }
        return nil
    }
}
