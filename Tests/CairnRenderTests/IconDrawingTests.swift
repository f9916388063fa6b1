import CairnCore
import CairnPNG
import CairnRender
import Testing

/// Icons (`icon-image` and friends) and patterns (`fill-pattern`, `line-pattern`) drawn from a sprite built
/// from SVG icons, checked by geometry and against reviewed golden images.
@Suite struct IconDrawingTests {
    static let paper = Color.hex(0xF8F4F0)

    /// An arrow pointing right (so rotation shows), a shield, a hatch tile and a dashed rail tile.
    static let icons: [(String, String)] = [
        ("arrow", ##"<svg xmlns="http://www.w3.org/2000/svg" width="16" height="10"><path d="M0 3h10V0l6 5-6 5V7H0z" fill="#c0392b"/></svg>"##),
        ("shield", ##"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="14"><rect x="1" y="1" width="18" height="12" rx="3" fill="#2e86c1" stroke="#ffffff" stroke-width="2"/></svg>"##),
        ("hatch", ##"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#d5f5e3"/><path d="M0 8L8 0" stroke="#1e8449" stroke-width="1.5"/></svg>"##),
        ("rail", ##"<svg xmlns="http://www.w3.org/2000/svg" width="12" height="4"><rect width="12" height="4" fill="#555555"/><rect width="6" height="4" fill="#ffffff"/></svg>"##),
    ]

    static func atlas() throws -> SpriteAtlas {
        let sheets = try SpriteBuilder.build(icons.map { SpriteBuilder.Icon(name: $0.0, file: "\($0.0).svg", svg: Array($0.1.utf8)) })
        return SpriteAtlas(entries: [.init(id: "default", sheets: sheets)])
    }

    static func canvas(_ width: Int, _ height: Int, scale: Double = 1) throws -> Canvas {
        let transform = PixelTransform(origin: Point(0, 0), pixelsPerUnit: scale)
        let canvas = try makeCanvas(width, height, scale: scale, transform: transform)
        canvas.sprites = try atlas()
        canvas.fillBackground(paper)
        return canvas
    }

    @Test func anchorSizeOffsetRotateOpacity() throws {
        let canvas = try Self.canvas(256, 96)
        let cross = LineSymbolizer(color: .hex(0xBBBBBB), width: 1)
        for x in [32.0, 96, 160, 224] {
            canvas.stroke([[px(x - 8, 48), px(x + 8, 48)], [px(x, 40), px(x, 56)]], cross)
        }
        func add(_ x: Double, _ icon: IconSymbolizer) {
            canvas.addSymbol(for: .points([px(x, 48)]), text: nil, icon: icon, placement: .point, spacing: 250)
        }
        add(32, IconSymbolizer(image: "arrow", allowOverlap: true))
        add(96, IconSymbolizer(image: "arrow", size: 2, anchor: .bottomLeft, allowOverlap: true))
        add(160, IconSymbolizer(image: "arrow", rotate: 90, offset: (0, -10), opacity: 0.5, allowOverlap: true))
        add(224, IconSymbolizer(image: "no-such-icon", allowOverlap: true))
        #expect(canvas.drawLabels() == 3)
        let image = try pixels(of: canvas)
        // Reddish pixels only: the crosses are grey.
        func redBounds(_ xs: Range<Int>) -> (Int, Int, Int, Int)? {
            var r: (Int, Int, Int, Int)?
            for y in 0..<96 {
                for x in xs where Int(image.pixel(x, y)[0]) > Int(image.pixel(x, y)[1]) + 40 {
                    r = r.map { (min($0.0, x), min($0.1, y), max($0.2, x), max($0.3, y)) } ?? (x, y, x, y)
                }
            }
            return r
        }
        func near(_ a: (Int, Int, Int, Int), _ b: (Int, Int, Int, Int)) -> Bool {
            abs(a.0 - b.0) <= 1 && abs(a.1 - b.1) <= 1 && abs(a.2 - b.2) <= 1 && abs(a.3 - b.3) <= 1
        }
        // 16x10 centred on (32, 48).
        let centred = try #require(redBounds(0..<64))
        #expect(near(centred, (24, 43, 39, 52)), "\(centred)")
        // Twice the size, its bottom-left corner on the anchor (96, 48).
        let big = try #require(redBounds(64..<150))
        #expect(near(big, (96, 28, 127, 47)), "\(big)")
        // Offset 10 px up, then turned a quarter clockwise about the anchor (160, 48): the offset turns too.
        let turned = try #require(redBounds(150..<200))
        #expect(near(turned, (165, 40, 174, 55)), "\(turned)")
        // The missing image draws nothing.
        #expect(redBounds(200..<256) == nil)
        try expectGolden(canvas, "icons_anchor_size_rotate")
    }

    @Test func shieldStretchedAroundTheText() throws {
        let canvas = try Self.canvas(192, 64)
        let text = TextSymbolizer(text: "QL5", fontNames: ["Noto Sans Bold"], size: 12, color: .white)
        let icon = IconSymbolizer(image: "shield", textFit: .both, textFitPadding: [2, 4, 2, 4])
        canvas.addSymbol(for: .points([px(48, 32)]), text: text, icon: icon, placement: .point, spacing: 250)
        var long = text
        long.text = "AH14 Hải Phòng"
        canvas.addSymbol(for: .points([px(128, 32)]), text: long, icon: icon, placement: .point, spacing: 250)
        #expect(canvas.drawLabels() == 2)
        let image = try pixels(of: canvas)
        let shield = try #require(image.inkBounds(background: [0xF8, 0xF4, 0xF0, 255], x: 80..<192))
        // The shield grew with the longer text (its own image is 20 px wide).
        #expect(shield.maxX - shield.minX > 60, "\(shield)")
        try expectGolden(canvas, "icons_text_fit")
    }

    @Test func iconAndTextCollideAsOneUnlessOptional() throws {
        let canvas = try Self.canvas(128, 64)
        let text = TextSymbolizer(text: "Cafe", size: 12, anchor: .top, offset: (0, 0.8))
        let icon = IconSymbolizer(image: "shield")
        canvas.addSymbol(for: .points([px(40, 24)]), text: text, icon: icon, placement: .point, spacing: 250, priority: 2)
        // Its icon overlaps the first icon: dropped with its text.
        canvas.addSymbol(for: .points([px(50, 26)]), text: text, icon: icon, placement: .point, spacing: 250, priority: 1)
        // Its text overlaps the first symbol's text but the text is optional: the icon alone is drawn.
        var optional = icon
        optional.textOptional = true
        canvas.addSymbol(for: .points([px(96, 10)]), text: TextSymbolizer(text: "Cafe Cafe Cafe", size: 12, anchor: .top, offset: (-3, 2.2)),
                         icon: optional, placement: .point, spacing: 250, priority: 0)
        #expect(canvas.drawLabels() == 2)
        try expectGolden(canvas, "icons_collision")
    }

    @Test func iconsAlongALineTurnWithIt() throws {
        let canvas = try Self.canvas(256, 96)
        let line = [px(10, 80), px(120, 20), px(246, 70)]
        canvas.stroke([line], LineSymbolizer(color: .hex(0xFFFFFF), width: 10, join: .round))
        canvas.addSymbol(for: .lines([line]), text: nil, icon: IconSymbolizer(image: "arrow", alignsWithLine: true),
                         placement: .line, spacing: 60)
        #expect(canvas.drawLabels() >= 3)
        try expectGolden(canvas, "icons_along_line")
    }

    @Test func fillAndLinePatterns() throws {
        let canvas = try Self.canvas(128, 128)
        canvas.fill([[[px(8, 8), px(120, 8), px(120, 60), px(8, 60), px(8, 8)]]],
                    FillSymbolizer(color: .black, pattern: "hatch"))
        canvas.stroke([[px(8, 100), px(64, 76), px(120, 110)]], LineSymbolizer(color: .black, width: 6, pattern: "rail"))
        // A missing pattern image draws nothing (not the colour).
        canvas.fill([[[px(8, 64), px(40, 64), px(40, 72), px(8, 72), px(8, 64)]]], FillSymbolizer(color: .black, pattern: "none"))
        try expectGolden(canvas, "patterns")
        #expect(try pixels(of: canvas).pixel(20, 68) == [0xF8, 0xF4, 0xF0, 255])
    }

    @Test func fillPatternContinuesAcrossCanvases() throws {
        // One 96x48 canvas against a 44 px and a 52 px one side by side over the same world: the right one
        // starts mid-repeat (44 is not a multiple of the 8 px hatch).
        let polygon: [[[Point]]] = [[[Point(-8, 8), Point(104, 8), Point(104, -56), Point(-8, -56), Point(-8, 8)]]]
        let whole = try Self.canvas(96, 48)
        whole.fill(polygon, FillSymbolizer(color: .black, pattern: "hatch"))
        let wholeImage = try pixels(of: whole)
        for (originX, width) in [(0, 44), (44, 52)] {
            let transform = PixelTransform(origin: Point(Double(originX), 0), pixelsPerUnit: 1)
            let part = try makeCanvas(width, 48, transform: transform)
            part.sprites = try Self.atlas()
            part.fillBackground(Self.paper)
            part.fill(polygon, FillSymbolizer(color: .black, pattern: "hatch"))
            let expected = wholeImage.crop(x: originX, y: 0, width: width, height: 48)
            #expect(try pixels(of: part) == expected, "the part at x = \(originX) differs from the whole")
        }
    }

    @Test func doubleScaleUsesTheDoubleSheet() throws {
        let canvas = try Self.canvas(256, 192, scale: 2)
        canvas.addSymbol(for: .points([px(32, 24)]), text: nil, icon: IconSymbolizer(image: "arrow"), placement: .point, spacing: 250)
        canvas.fill([[[px(64, 8), px(120, 8), px(120, 40), px(64, 40), px(64, 8)]]], FillSymbolizer(color: .black, pattern: "hatch"))
        canvas.stroke([[px(8, 70), px(120, 80)]], LineSymbolizer(color: .black, width: 6, pattern: "rail"))
        #expect(canvas.drawLabels() == 1)
        let image = try pixels(of: canvas)
        let arrow = try #require(image.inkBounds(background: [0xF8, 0xF4, 0xF0, 255], x: 0..<110, y: 0..<100))
        // 16x10 CSS px at 2x: 32x20 device px around (64, 48).
        #expect(abs(arrow.minX - 48) <= 1 && abs(arrow.maxX - 79) <= 1 && abs(arrow.minY - 38) <= 1 && abs(arrow.maxY - 57) <= 1, "\(arrow)")
        try expectGolden(canvas, "icons_patterns_2x")
    }
}
