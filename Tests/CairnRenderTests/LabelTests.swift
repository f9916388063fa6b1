import CairnCore
import CairnRender
import Testing

@Suite struct LabelTests {
    static let names = ["Hải Phòng", "Đồ Sơn", "Thủy Nguyên"]

    func render(_ text: String, placement: TextPlacement = .point) throws -> [UInt8] {
        let canvas = try makeCanvas(200, 60)
        canvas.fillBackground(.white)
        let style = TextSymbolizer(text: text, size: 18, haloColor: .hex(0xFFEEAA), haloWidth: 2, placement: placement)
        if placement == .point {
            canvas.addLabel(for: .points([px(100, 30)]), style)
        } else {
            canvas.addLabel(for: .lines([[px(0, 30), px(200, 30)]]), style)
        }
        #expect(canvas.drawLabels() == 1)
        return try pixels(of: canvas).rgba
    }

    @Test(arguments: names)
    func decomposedTextRendersLikePrecomposed(name: String) throws {
        let nfc = String(decoding: Array(name.precomposedUTF8), as: UTF8.self)
        let nfd = String(decoding: Array(name.decomposedUTF8), as: UTF8.self)
        #expect(Array(nfc.utf8) != Array(nfd.utf8), "the test needs two different encodings")
        #expect(try render(nfd) == render(nfc))
        #expect(try render(nfd, placement: .line) == render(nfc, placement: .line))
    }

    @Test func allowOverlapDrawsBoth() throws {
        let canvas = try makeCanvas(192, 96)
        var s = TextSymbolizer(text: "Kiến An", size: 16)
        s.allowOverlap = true
        canvas.addLabel(for: .points([px(96, 52)]), s)
        canvas.addLabel(for: .points([px(96, 44)]), s)
        #expect(canvas.drawLabels() == 2)
    }

    @Test func equalPriorityKeepsInsertionOrder() throws {
        let canvas = try makeCanvas(192, 96)
        canvas.fillBackground(.white)
        canvas.addLabel(for: .points([px(96, 48)]), TextSymbolizer(text: "First", size: 16, color: .hex(0xFF0000)))
        canvas.addLabel(for: .points([px(98, 48)]), TextSymbolizer(text: "First", size: 16, color: .hex(0x0000FF)))
        #expect(canvas.drawLabels() == 1)
        let image = try pixels(of: canvas)
        let reddish = stride(from: 0, to: image.rgba.count, by: 4).contains { image.rgba[$0] > 200 && image.rgba[$0 + 2] < 100 }
        #expect(reddish)
    }

    @Test func paddingSeparatesNearbyLabels() throws {
        func drawn(padding: Double) throws -> Int {
            let canvas = try makeCanvas(300, 100)
            let s = TextSymbolizer(text: "Cát Bà", size: 16, padding: padding)
            canvas.addLabel(for: .points([px(100, 50)]), s)
            canvas.addLabel(for: .points([px(160, 50)]), s)
            return canvas.drawLabels()
        }
        #expect(try drawn(padding: 2) == 2)
        #expect(try drawn(padding: 20) == 1)
    }

    @Test func labelsInTheBufferBlockButAreNotDrawn() throws {
        let frame = PixelRect(x: 100, y: 0, width: 100, height: 100)
        let canvas = try makeCanvas(200, 100, frame: frame)
        // Wholly in the buffer, high priority: drawn by the neighbour, and it must block here too.
        canvas.addLabel(for: .points([px(50, 50)]), TextSymbolizer(text: "Neighbour", size: 14, allowOverlap: true), priority: 9)
        canvas.addLabel(for: .points([px(150, 50)]), TextSymbolizer(text: "Mine", size: 14))
        #expect(canvas.drawLabels() == 1)
    }

    @Test func polygonLabelsSitInsideTheShape() throws {
        let canvas = try makeCanvas(200, 200)
        canvas.fillBackground(.white)
        // A U shape whose bounding-box centre is outside the polygon.
        let u = [px(10, 10), px(190, 10), px(190, 190), px(130, 190), px(130, 60), px(70, 60), px(70, 190), px(10, 190), px(10, 10)]
        canvas.addLabel(for: .polygons([[u]]), TextSymbolizer(text: "U", size: 20, color: .black))
        #expect(canvas.drawLabels() == 1)
        let image = try pixels(of: canvas)
        let ink = try #require(image.inkBounds(background: [255, 255, 255, 255]))
        let centreX = (ink.minX + ink.maxX) / 2, centreY = (ink.minY + ink.maxY) / 2
        #expect(!(centreX > 70 && centreX < 130 && centreY > 60), "label at \(centreX),\(centreY) is in the notch")
    }

    @Test func sharpBendsRejectLineLabels() throws {
        let canvas = try makeCanvas(300, 200)
        let zigzag = [px(20, 100), px(150, 100), px(150, 20), px(280, 20)]
        canvas.addLabel(for: .lines([zigzag]), TextSymbolizer(text: "Ngã Ba Rẽ Gấp Khúc", size: 14, placement: .line, spacing: 0))
        #expect(canvas.drawLabels() == 0)
    }
}

private extension String {
    var precomposedUTF8: [UInt8] { Array(TestUnicode.nfc(self).utf8) }
    var decomposedUTF8: [UInt8] { Array(TestUnicode.nfd(self).utf8) }
}

import Foundation
enum TestUnicode {
    static func nfc(_ s: String) -> String { s.precomposedStringWithCanonicalMapping }
    static func nfd(_ s: String) -> String { s.decomposedStringWithCanonicalMapping }
}
