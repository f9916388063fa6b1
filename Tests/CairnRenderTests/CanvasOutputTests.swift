import CairnCore
import CairnPNG
import CairnRender
import Testing

@Suite struct CanvasOutputTests {
    /// A busy 2×2 metatile with a 16 px buffer.
    func metatile(tile: Int = 64, buffer: Int = 16) throws -> Canvas {
        let size = 2 * tile + 2 * buffer
        let canvas = try makeCanvas(size, size, frame: PixelRect(x: Double(buffer), y: Double(buffer),
                                                                width: Double(2 * tile), height: Double(2 * tile)))
        canvas.fillBackground(.hex(0xAAD3DF))
        canvas.fill([[[px(0, 0), px(100, 10), px(140, 150), px(20, 120), px(0, 0)]]],
                    FillSymbolizer(color: .hex(0xF2EFE9), opacity: 0.7))
        canvas.stroke([[px(0, 80), px(160, 70)]], LineSymbolizer(color: .hex(0xE8923B), width: 5, cap: .round))
        canvas.circle([px(80, 80)], CircleSymbolizer(radius: 6, color: .hex(0x000000), opacity: 0.5))
        return canvas
    }

    @Test func splitTilesEqualTheCrops() throws {
        let canvas = try metatile()
        let whole = try pixels(of: canvas)
        let tiles = try canvas.encodeTiles(columns: 2, rows: 2, tilePixels: 64, bufferPixels: 16)
        #expect(tiles.count == 4)
        for (index, png) in tiles.enumerated() {
            let column = index % 2, row = index / 2
            let expected = whole.crop(x: 16 + column * 64, y: 16 + row * 64, width: 64, height: 64)
            #expect(try PNGDecoder.decode(png) == expected, "tile \(column),\(row)")
        }
    }

    @Test func uniformTilesUseTheFastPath() throws {
        let canvas = try makeCanvas(512, 512, frame: PixelRect(x: 0, y: 0, width: 512, height: 512))
        canvas.fillBackground(.hex(0xAAD3DF))
        let tiles = try canvas.encodeTiles(columns: 2, rows: 2, tilePixels: 256, bufferPixels: 0)
        #expect(tiles.allSatisfy { $0.count <= 120 })
        let image = try PNGDecoder.decode(tiles[3])
        #expect(image.pixel(100, 100) == [0xAA, 0xD3, 0xDF, 255])
    }

    @Test func invalidTileGridThrows() throws {
        let canvas = try metatile()
        #expect(throws: RenderError.self) { try canvas.encodeTiles(columns: 3, rows: 2, tilePixels: 64, bufferPixels: 16) }
    }

    @Test func invalidCanvasThrows() throws {
        #expect(throws: RenderError.self) { try makeCanvas(0, 10) }
        #expect(throws: RenderError.self) { try makeCanvas(10, 10, scale: 0) }
    }

    @Test func transparentCanvasStaysTransparent() throws {
        let image = try pixels(of: try makeCanvas(8, 8))
        #expect(image.pixel(3, 3)[3] == 0)
    }

    @Test func metatileTransformPutsTheBoundsInTheFrame() {
        let bounds = BoundingBox(minX: 1000, minY: 2000, maxX: 1512, maxY: 2512)
        let t = PixelTransform(bounds: bounds, framePixels: 512, bufferPixels: 64)
        #expect(t.pixelX(1000) == 64 && t.pixelY(2512) == 64)
        #expect(t.pixelX(1512) == 576 && t.pixelY(2000) == 576)
        #expect(t.world(x: 64, y: 64) == Point(1000, 2512))
    }
}

@Suite struct ScaleTests {
    /// Renders a horizontal line at `scale`, the world shown at `scale` pixels per unit.
    func lineThickness(scale: Double) throws -> Int {
        let size = Int(100 * scale)
        let canvas = try makeCanvas(size, size, scale: scale, transform: PixelTransform(origin: Point(0, 0), pixelsPerUnit: scale))
        canvas.fillBackground(.white)
        canvas.stroke([[px(10, 50), px(90, 50)]], LineSymbolizer(color: .black, width: 4))
        let image = try pixels(of: canvas)
        let column = size / 2
        return (0..<size).filter { image.pixel(column, $0)[0] < 128 }.count
    }

    func textHeight(scale: Double) throws -> Int {
        let size = Int(120 * scale)
        let canvas = try makeCanvas(size, size, scale: scale, transform: PixelTransform(origin: Point(0, 0), pixelsPerUnit: scale))
        canvas.fillBackground(.white)
        canvas.addLabel(for: .points([px(60, 60)]), TextSymbolizer(text: "Hải Phòng", size: 14))
        #expect(canvas.drawLabels() == 1)
        let ink = try #require(try pixels(of: canvas).inkBounds(background: [255, 255, 255, 255]))
        return ink.maxY - ink.minY + 1
    }

    @Test func doubleScaleDoublesLineWidth() throws {
        #expect(try lineThickness(scale: 1) == 4)
        #expect(try lineThickness(scale: 2) == 8)
    }

    @Test func doubleScaleDoublesTextSize() throws {
        let single = try textHeight(scale: 1), double = try textHeight(scale: 2)
        #expect(abs(double - 2 * single) <= 2, "text height \(single) at 1x, \(double) at 2x")
    }
}
