import CairnCore
import CairnRender
import Testing

@Suite struct GeometryDrawingTests {
    static let white: [UInt8] = [255, 255, 255, 255]

    @Test func geometryFarBeyondCairosFixedPointRangeIsClipped() throws {
        let canvas = try makeCanvas(100, 100)
        canvas.fillBackground(.white)
        // Vertices ~50 million pixels away: Cairo's 24.8 fixed point would wrap them.
        canvas.fill([[[px(-5e7, 5e7), px(5e7, 5e7), px(50, -5e7), px(-5e7, 5e7)]]], FillSymbolizer(color: .hex(0x0000FF)))
        canvas.stroke([[px(-1e8, -1e8), px(1e8, 1e8)]], LineSymbolizer(color: .hex(0xFF0000), width: 4))
        let image = try pixels(of: canvas)
        #expect(image.pixel(80, 20) == [0, 0, 255, 255])
        #expect(image.pixel(50, 50) == [255, 0, 0, 255])
        #expect(image.pixel(20, 80) == [0, 0, 255, 255])
    }

    @Test func geometryOffTheCanvasDrawsNothing() throws {
        let canvas = try makeCanvas(64, 64)
        canvas.fillBackground(.white)
        canvas.fill([[[px(100, 100), px(200, 100), px(200, 200), px(100, 100)]]], FillSymbolizer(color: .black))
        canvas.stroke([[px(-50, -10), px(-10, -50)]], LineSymbolizer(color: .black, width: 10))
        canvas.circle([px(-30, 30)], CircleSymbolizer(radius: 5))
        #expect(try pixels(of: canvas).inkBounds(background: Self.white) == nil)
    }

    @Test func subPixelStepsStillEndTheLineWhereItEnds() throws {
        let canvas = try makeCanvas(64, 16)
        canvas.fillBackground(.white)
        var line = [px(4, 8)]
        for i in 1...400 { line.append(px(4 + Double(i) * 0.1, 8)) }  // 0.1 px steps up to x = 44
        canvas.stroke([line], LineSymbolizer(color: .black, width: 2))
        let ink = try #require(try pixels(of: canvas).inkBounds(background: Self.white))
        #expect(ink.minX == 4 && ink.maxX == 43)
    }

    @Test func outlineOnlyFillDrawsTheEdge() throws {
        let canvas = try makeCanvas(32, 32)
        canvas.fillBackground(.white)
        canvas.fill([[[px(4, 4), px(28, 4), px(28, 28), px(4, 28), px(4, 4)]]],
                    FillSymbolizer(color: .transparent, outlineColor: .black))
        let image = try pixels(of: canvas)
        #expect(image.pixel(16, 16) == Self.white)
        #expect(image.pixel(16, 4)[0] < 200)
    }
}
