internal import CFreeType

/// One face of a font file opened with FreeType at a pixel size, with its own `FT_Library` so the
/// face never shares state with another thread's. Not thread-safe: use it on the thread that made it.
public final class FreeTypeFace {
    private let library: FT_Library
    private let face: FT_Face
    public let path: String

    /// - Parameters:
    ///   - index: the face within the file (fontconfig's `FC_INDEX`).
    ///   - pixelSize: the em size in pixels (72 dpi, so points are pixels).
    public init(path: String, index: Int, pixelSize: Int) throws(FreeTypeError) {
        var library: FT_Library?
        var error = FT_Init_FreeType(&library)
        guard error == 0, let library else { throw FreeTypeError(code: error, message: "FreeType could not be initialised") }
        var face: FT_Face?
        error = FT_New_Face(library, path, index, &face)
        guard error == 0, let face else {
            FT_Done_FreeType(library)
            throw FreeTypeError(code: error, message: "cannot open font \(path) (face \(index))")
        }
        error = FT_Set_Char_Size(face, 0, FT_F26Dot6(pixelSize * 64), 72, 72)
        guard error == 0 else {
            FT_Done_Face(face)
            FT_Done_FreeType(library)
            throw FreeTypeError(code: error, message: "cannot size font \(path) to \(pixelSize) px")
        }
        self.library = library
        self.face = face
        self.path = path
    }

    deinit {
        FT_Done_Face(face)
        FT_Done_FreeType(library)
    }

    /// The face's glyph for `codePoint`, or nil when it has none.
    public func glyphIndex(of codePoint: UInt32) -> UInt32? {
        let index = FT_Get_Char_Index(face, FT_ULong(codePoint))
        return index == 0 ? nil : index
    }

    /// The glyph's unhinted outline, curves flattened; nil when it is not an outline (a bitmap font).
    public func outline(glyph: UInt32) throws(FreeTypeError) -> GlyphOutline? {
        let error = FT_Load_Glyph(face, glyph, Int32(FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP))
        guard error == 0 else { throw FreeTypeError(code: error, message: "cannot load glyph \(glyph) of \(path)") }
        let slot = face.pointee.glyph!
        let advance = Int(slot.pointee.metrics.horiAdvance / 64)
        guard slot.pointee.format == FT_GLYPH_FORMAT_OUTLINE else { return nil }
        var builder = OutlineBuilder()
        var funcs = FT_Outline_Funcs(
            move_to: { to, user in
                user!.assumingMemoryBound(to: OutlineBuilder.self).pointee.move(to: OutlineBuilder.point(to!))
                return 0
            },
            line_to: { to, user in
                user!.assumingMemoryBound(to: OutlineBuilder.self).pointee.line(to: OutlineBuilder.point(to!))
                return 0
            },
            conic_to: { control, to, user in
                user!.assumingMemoryBound(to: OutlineBuilder.self).pointee.conic(control: OutlineBuilder.point(control!), to: OutlineBuilder.point(to!))
                return 0
            },
            cubic_to: { c1, c2, to, user in
                user!.assumingMemoryBound(to: OutlineBuilder.self).pointee.cubic(OutlineBuilder.point(c1!), OutlineBuilder.point(c2!), to: OutlineBuilder.point(to!))
                return 0
            },
            shift: 0, delta: 0)
        let decomposed = withUnsafeMutablePointer(to: &builder) { user in
            FT_Outline_Decompose(&slot.pointee.outline, &funcs, user)
        }
        guard decomposed == 0 else { throw FreeTypeError(code: decomposed, message: "cannot decompose glyph \(glyph) of \(path)") }
        builder.closeRing()
        return GlyphOutline(rings: builder.rings, advance: advance)
    }
}

/// Collects FreeType's outline callbacks into closed rings of points in pixels.
struct OutlineBuilder {
    typealias Point = GlyphOutline.Point
    var rings: [[Point]] = []
    var ring: [Point] = []

    /// Curves are cut into pieces at most this long (pixels): at 24 px the error stays far below a pixel.
    static let flatness = 0.75

    static func point(_ v: UnsafePointer<FT_Vector>) -> Point {
        Point(x: Double(v.pointee.x) / 64, y: Double(v.pointee.y) / 64)
    }

    mutating func move(to p: Point) {
        closeRing()
        ring = [p]
    }

    mutating func line(to p: Point) { ring.append(p) }

    mutating func conic(control c: Point, to p: Point) {
        guard let p0 = ring.last else { return }
        let length = distance(p0, c) + distance(c, p)
        let steps = max(1, min(32, Int((length / Self.flatness).rounded(.up))))
        for i in 1...steps {
            let t = Double(i) / Double(steps), u = 1 - t
            ring.append(Point(x: u * u * p0.x + 2 * u * t * c.x + t * t * p.x,
                              y: u * u * p0.y + 2 * u * t * c.y + t * t * p.y))
        }
    }

    mutating func cubic(_ c1: Point, _ c2: Point, to p: Point) {
        guard let p0 = ring.last else { return }
        let length = distance(p0, c1) + distance(c1, c2) + distance(c2, p)
        let steps = max(1, min(48, Int((length / Self.flatness).rounded(.up))))
        for i in 1...steps {
            let t = Double(i) / Double(steps), u = 1 - t
            let a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t
            ring.append(Point(x: a * p0.x + b * c1.x + c * c2.x + d * p.x,
                              y: a * p0.y + b * c1.y + c * c2.y + d * p.y))
        }
    }

    mutating func closeRing() {
        guard let first = ring.first else { return }
        if ring.last != first { ring.append(first) }
        if ring.count > 2 { rings.append(ring) }
        ring = []
    }

    private func distance(_ a: Point, _ b: Point) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }
}
