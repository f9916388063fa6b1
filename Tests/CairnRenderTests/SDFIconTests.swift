import CairnCore
import Testing
@testable import CairnRender

/// Signed-distance-field sprite images (`"sdf": true`) are coloured by `icon-color` and haloed by
/// `icon-halo-color`/`-width`, as MapLibre's shader does: the field's 0.75 level is the icon's edge.
@Suite struct SDFIconTests {
    /// A 24 px SDF of a disc of radius 6: the field is 0.75 on the circle and falls 1/8 per pixel outward.
    static func atlas() -> SpriteAtlas {
        let size = 24
        var argb = [UInt32](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let d = ((Double(x) + 0.5 - 12) * (Double(x) + 0.5 - 12) + (Double(y) + 0.5 - 12) * (Double(y) + 0.5 - 12)).squareRoot()
                let field = min(1, max(0, 0.75 + (6 - d) / 8))
                argb[y * size + x] = UInt32((field * 255).rounded()) << 24
            }
        }
        let image = SpriteImage(x: 0, y: 0, width: size, height: size, pixelRatio: 1, sdf: true)
        let sheet = SpriteSheet(pixelRatio: 1, width: size, height: size, images: ["dot": image], argb: argb, jsonBytes: [], pngBytes: [])
        return SpriteAtlas(entries: [.init(id: "default", sheets: [sheet])])
    }

    @Test func anSDFIconTakesItsColourAndHalo() throws {
        let canvas = try makeCanvas(64, 32)
        canvas.sprites = Self.atlas()
        canvas.fillBackground(.white)
        var plain = IconSymbolizer(image: "dot", allowOverlap: true)
        plain.color = .hex(0xD00000)
        var haloed = IconSymbolizer(image: "dot", allowOverlap: true)
        haloed.color = .hex(0x0000D0)
        haloed.haloColor = .hex(0x00A000)
        haloed.haloWidth = 2
        canvas.addSymbol(for: .points([px(16, 16)]), text: nil, icon: plain, placement: .point, spacing: 250)
        canvas.addSymbol(for: .points([px(48, 16)]), text: nil, icon: haloed, placement: .point, spacing: 250)
        #expect(canvas.drawLabels() == 2)
        let image = try pixels(of: canvas)
        // Inside the disc: icon-color, not the field's black.
        #expect(image.pixel(16, 16) == [0xD0, 0, 0, 255])
        #expect(image.pixel(48, 16) == [0, 0, 0xD0, 255])
        // The disc is 6 px in radius: 4 px from the centre is inside, 9 px outside (white).
        #expect(image.pixel(20, 16) == [0xD0, 0, 0, 255])
        #expect(image.pixel(25, 16) == [255, 255, 255, 255])
        // The halo: a green ring between 6 and 8 px from the centre, only around the second icon.
        let ring = image.pixel(48 + 7, 16)
        #expect(ring[1] > 120 && ring[0] < 60 && ring[2] < 60, "\(ring)")
        #expect(image.pixel(16 + 7, 16)[1] > 200 && image.pixel(16 + 7, 16)[0] > 200, "no halo without icon-halo-color")
        #expect(image.pixel(48 + 10, 16) == [255, 255, 255, 255])
    }
}
