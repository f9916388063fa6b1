import CairnCairo
import CairnCore
import CairnPNG
import Foundation
import Testing
@testable import CairnRender

/// MapLibre's placement rules: one label per polygon feature, variable anchors, balanced wrapping,
/// letters set one by one along lines, and labels crossing the label frame drawn whole.
@Suite struct LabelPlacementTests {
    static let white: [UInt8] = [255, 255, 255, 255]

    @Test func aMultiPartPolygonGetsOneLabelOnItsLargestPart() throws {
        let canvas = try makeCanvas(400, 200)
        canvas.fillBackground(.white)
        func square(_ x: Double, _ y: Double, _ side: Double) -> [[Point]] {
            [[px(x, y), px(x + side, y), px(x + side, y + side), px(x, y + side), px(x, y)]]
        }
        // Three islands; the largest on the right.
        let islands: Geometry = .polygons([square(10, 10, 40), square(10, 120, 50), square(200, 20, 160)])
        canvas.addLabel(for: islands, TextSymbolizer(text: "CÁT HẢI", size: 14))
        #expect(canvas.drawLabels() == 1)
        let ink = try #require(try pixels(of: canvas).inkBounds(background: Self.white))
        #expect(ink.minX > 200 && ink.maxX < 360, "label at x \(ink.minX)...\(ink.maxX), not on the largest island")
    }

    @Test func variableAnchorsTryTheNextAnchorWhenTheFirstIsTaken() throws {
        let canvas = try makeCanvas(400, 200)
        canvas.fillBackground(.white)
        // Placed first (higher priority), centred on the point.
        canvas.addLabel(for: .points([px(200, 100)]), TextSymbolizer(text: "Ga Hải Phòng", size: 14), priority: 2)
        var poi = TextSymbolizer(text: "Chợ Sắt", size: 14, color: .hex(0xFF0000))
        poi.variableAnchors = [.center, .top, .bottom]
        poi.radialOffset = 1
        canvas.addLabel(for: .points([px(200, 100)]), poi, priority: 1)
        #expect(canvas.drawLabels() == 2)
        // "top" is taken by nothing: the red text sits below the point (anchored by its top).
        let red = try #require(redBounds(try pixels(of: canvas)))
        #expect(red.minY > 100, "the second label should hang below the point, its top at \(red.minY)")
    }

    @Test func withoutVariableAnchorsTheCollidingLabelIsDropped() throws {
        let canvas = try makeCanvas(400, 200)
        canvas.addLabel(for: .points([px(200, 100)]), TextSymbolizer(text: "Ga Hải Phòng", size: 14), priority: 2)
        canvas.addLabel(for: .points([px(200, 100)]), TextSymbolizer(text: "Chợ Sắt", size: 14), priority: 1)
        #expect(canvas.drawLabels() == 1)
    }

    @Test func radialOffsetMovesTheTextAwayFromTheAnchorSide() {
        func offset(_ anchor: TextAnchor, _ s: TextSymbolizer, variable: Bool = true) -> [Double] {
            let o = Canvas.offset(for: anchor, s, variable: variable)
            return [o.0, o.1]
        }
        var s = TextSymbolizer(text: "x", size: 10)
        s.radialOffset = 2
        #expect(offset(.left, s) == [2, 0])
        #expect(offset(.top, s) == [0, 2])
        let diagonal = offset(.bottomRight, s)
        #expect(abs(diagonal[0] + 2 / 2.0.squareRoot()) < 1e-9 && abs(diagonal[1] + 2 / 2.0.squareRoot()) < 1e-9)
        // Variable anchors without a radial offset use text-offset's magnitude on the anchor's side.
        let t = TextSymbolizer(text: "x", size: 10, offset: (-1, -1.5))
        #expect(offset(.right, t) == [-1, 0])
        #expect(offset(.bottom, t) == [0, -1.5])
        #expect(offset(.right, t, variable: false) == [-1, -1.5])
    }

    @Test func maxWidthWrapsIntoBalancedLines() throws {
        let text = "Trường Trung học Phổ thông Chuyên Trần Phú Hải Phòng"
        let s = TextSymbolizer(text: text, size: 16, maxWidth: 10)
        let canvas = try makeCanvas(600, 300)
        canvas.addLabel(for: .points([px(300, 150)]), s)
        let layout = try #require(canvas.placeLabels().symbols.first?.option.layout)
        // Pango's own greedy wrapping at 10 ems, and the text on one line.
        let context = PangoTextContext()
        let greedy = PangoTextLayout(context: context, text: text, font: canvas.font(s.fontNames, pixelSize: 16), wrapWidth: 160)
        let oneLine = PangoTextLayout(context: context, text: text, font: canvas.font(s.fontNames, pixelSize: 16)).logicalRect.width
        #expect(greedy.lineCount >= 2)
        #expect(layout.lineCount == greedy.lineCount, "as few lines as greedy wrapping")
        let width = layout.logicalRect.width
        #expect(width <= 160 + 0.5 && width <= greedy.logicalRect.width + 0.5)
        // Balanced: the widest line is about the text's width shared evenly, not a full line over an orphan.
        #expect(width < oneLine / Double(layout.lineCount) + 48,
                "lines \(width) px wide for \(oneLine) px of text on \(layout.lineCount) lines")
    }

    @Test func lineLabelsMoveEachLetterRigidly() throws {
        // A quarter circle of radius 150: every letter keeps its shape, only turned.
        var arc: [Point] = []
        for i in 0...60 {
            let a = Double(i) / 60 * Double.pi / 2
            arc.append(px(20 + 150 * (1 - cos(a)), 170 - 150 * sin(a)))
        }
        let canvas = try makeCanvas(240, 200)
        canvas.fillBackground(.white)
        canvas.addLabel(for: .lines([arc]), TextSymbolizer(text: "Đường Vòng Cung", size: 14, haloColor: .white, haloWidth: 1,
                                                           placement: .line, maxAngle: 80, spacing: 0))
        let placed = canvas.placeLabels()
        let option = try #require(placed.symbols.first?.option)
        guard case .line(let path) = option.placement else {
            Issue.record("expected a line placement")
            return
        }
        #expect(path.clusters.count >= 13, "one cluster per letter: \(path.clusters.count)")
        for letter in path.clusters {
            let move = path.letterTransform((letter.start + letter.end) / 2)
            let a = move(letter.start, path.middle - 5), b = move(letter.end, path.middle + 5)
            let before = ((letter.end - letter.start) * (letter.end - letter.start) + 100).squareRoot()
            let after = ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1)).squareRoot()
            #expect(abs(before - after) < 1e-6, "letter at \(letter.start) is stretched: \(before) → \(after)")
        }
        // And it draws.
        canvas.addLabel(for: .lines([arc]), TextSymbolizer(text: "Đường Vòng Cung", size: 14, placement: .line, maxAngle: 80, spacing: 0))
        #expect(canvas.drawLabels() == 1)
        try expectGolden(canvas, "line-label-arc")
    }

    @Test func aLabelCrossingTheFrameIsDrawnWholeOnBothSides() throws {
        // Two canvases side by side sharing the edge x = 100 of the world each keep their half of the
        // label; together the halves are the label one canvas spanning both draws.
        func render(worldX: Double, frameWidth: Double) throws -> PNGDecoder.Image {
            let transform = PixelTransform(origin: Point(worldX - 50, 0), pixelsPerUnit: 1)
            let canvas = try makeCanvas(Int(frameWidth) + 100, 100, frame: PixelRect(x: 50, y: 0, width: frameWidth, height: 100),
                                        transform: transform)
            canvas.labelMargin = 200
            canvas.fillBackground(.white)
            canvas.addLabel(for: .points([px(100, 50)]), TextSymbolizer(text: "Lạch Tray", size: 16))
            #expect(canvas.drawLabels() == 1)
            return try pixels(of: canvas)
        }
        let left = try render(worldX: 0, frameWidth: 100), right = try render(worldX: 100, frameWidth: 100)
        let whole = try render(worldX: 0, frameWidth: 200)
        // World x maps to canvas x + 50 on the left and whole canvases, x - 50 on the right one.
        for row in 0..<100 {
            for worldX in 50..<150 {
                let half = worldX < 100 ? left.pixel(worldX + 50, row) : right.pixel(worldX - 50, row)
                if half != whole.pixel(worldX + 50, row) {
                    Issue.record("the halves differ from the whole label at row \(row), world x \(worldX)")
                    return
                }
            }
        }
        #expect(left.inkBounds(background: Self.white, x: 140..<150) != nil, "no ink at the seam: the label was dropped")
        #expect(right.inkBounds(background: Self.white, x: 50..<60) != nil, "no ink at the seam on the right: the label was dropped")
    }

    private func redBounds(_ image: PNGDecoder.Image) -> (minX: Int, minY: Int, maxX: Int, maxY: Int)? {
        var result: (minX: Int, minY: Int, maxX: Int, maxY: Int)?
        for row in 0..<image.height {
            for column in 0..<image.width {
                let p = image.pixel(column, row)
                guard p[0] > 200 && p[1] < 120 && p[2] < 120 else { continue }
                if let r = result {
                    result = (min(r.minX, column), min(r.minY, row), max(r.maxX, column), max(r.maxY, row))
                } else {
                    result = (column, row, column, row)
                }
            }
        }
        return result
    }
}
