import CairnCore
import CairnPNG
import CairnRender
import Testing

/// Sprite sheets: MapLibre's `sprite.json` + `sprite.png` (1× and @2x), errors naming file and JSON path,
/// and sprites built from SVG icons with librsvg.
@Suite struct SpriteTests {
    /// A 4x2 sheet: a red 2x2 image at (0,0) and a blue 2x2 one at (2,0).
    static func sheetPNG() throws -> [UInt8] {
        var rgba: [UInt8] = []
        for _ in 0..<2 {
            rgba += [255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 128]
        }
        return try PNGEncoder.encode(rgba, width: 4, height: 2, format: .rgba)
    }

    static let index = #"{"red": {"width": 2, "height": 2, "x": 0, "y": 0, "pixelRatio": 1}, "blue": {"width": 2, "height": 2, "x": 2, "y": 0, "pixelRatio": 2, "sdf": false}}"#

    @Test func readsTheIndexAndPixels() throws {
        let sheet = try SpriteSheet.load(json: Array(Self.index.utf8), jsonFile: "s.json", png: Self.sheetPNG(), pngFile: "s.png", pixelRatio: 1)
        #expect(sheet.width == 4 && sheet.height == 2)
        #expect(sheet.images["red"] == SpriteImage(x: 0, y: 0, width: 2, height: 2, pixelRatio: 1))
        #expect(sheet.images["blue"]?.pixelRatio == 2)
        #expect(sheet.images["blue"]?.cssWidth == 1)
        #expect(sheet.images.count == 2)
    }

    @Test func atlasPicksTheSheetForTheScaleAndPrefixesOtherSprites() throws {
        let one = try SpriteSheet.load(json: Array(Self.index.utf8), jsonFile: "s.json", png: Self.sheetPNG(), pngFile: "s.png", pixelRatio: 1)
        let two = try SpriteSheet.load(json: Array(Self.index.utf8), jsonFile: "s@2x.json", png: Self.sheetPNG(), pngFile: "s@2x.png", pixelRatio: 2)
        let atlas = SpriteAtlas(entries: [.init(id: "default", sheets: [two, one]), .init(id: "extra", sheets: [one])])
        #expect(atlas.image("red", scale: 1)?.sheet === one)
        #expect(atlas.image("red", scale: 2)?.sheet === two)
        #expect(atlas.image("red", scale: 3)?.sheet === two)
        #expect(atlas.image("extra:blue", scale: 2)?.sheet === one)
        #expect(atlas.image("extra:nothing", scale: 1) == nil)
        #expect(!atlas.contains("nothing"))
    }

    @Test(arguments: [
        (#"{"a": {"height": 2, "x": 0, "y": 0}}"#, "a.width", "required property missing"),
        (#"{"a": {"width": 2, "height": 2, "x": -1, "y": 0}}"#, "a.x", "expected an integer from 0"),
        (#"{"a": {"width": 2.5, "height": 2, "x": 0, "y": 0}}"#, "a.width", "expected an integer"),
        (#"{"a": {"width": 2, "height": 2, "x": 3, "y": 0}}"#, "a", "reaches outside the 4x2 sheet"),
        (#"{"a": {"width": 2, "height": 2, "x": 0, "y": 0, "pixelRatio": 0}}"#, "a.pixelRatio", "expected a number above 0"),
        (#"{"a": {"width": 2, "height": 2, "x": 0, "y": 0, "sdf": "yes"}}"#, "a.sdf", "expected true or false"),
        (#"{"a": 5}"#, "a", "expected an object"),
        (#"[1]"#, "", "expected an object of image name"),
    ])
    func badIndexNamesFileAndPath(json: String, location: String, message: String) throws {
        let png = try Self.sheetPNG()
        do {
            _ = try SpriteSheet.load(json: Array(json.utf8), jsonFile: "icons.json", png: png, pngFile: "icons.png", pixelRatio: 1)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.file == "icons.json")
            #expect(error.location == location)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func malformedJSONAndBadPNGAreNamed() throws {
        let png = try Self.sheetPNG()
        do {
            _ = try SpriteSheet.load(json: Array("{\n  \"a\": }".utf8), jsonFile: "icons.json", png: png, pngFile: "icons.png", pixelRatio: 1)
            Issue.record("accepted malformed JSON")
        } catch {
            #expect(error.code == .malformedJSON)
            #expect(error.location.contains("line 2"), "\(error.location)")
        }
        do {
            _ = try SpriteSheet.load(json: Array(Self.index.utf8), jsonFile: "icons.json", png: [1, 2, 3], pngFile: "icons.png", pixelRatio: 1)
            Issue.record("accepted a non-PNG")
        } catch {
            #expect(error.code == .invalidImage)
            #expect(error.description.hasPrefix("icons.png: "))
        }
    }

    static let square = ##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#ff0000"/></svg>"##
    static let wide = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 8"><rect width="20" height="8" fill="#0000ff"/></svg>"##

    @Test func buildsSheetsFromSVGsAtBothRatios() throws {
        let sheets = try SpriteBuilder.build([
            .init(name: "square", file: "icons/square.svg", svg: Array(Self.square.utf8)),
            .init(name: "wide", file: "icons/wide.svg", svg: Array(Self.wide.utf8)),
        ])
        #expect(sheets.map(\.pixelRatio) == [1, 2])
        let one = sheets[0], two = sheets[1]
        let square1 = try #require(one.images["square"]), wide1 = try #require(one.images["wide"])
        #expect((square1.width, square1.height, wide1.width, wide1.height) == (10, 10, 20, 8))
        let square2 = try #require(two.images["square"])
        #expect((square2.width, square2.height, square2.pixelRatio) == (20, 20, 2))
        #expect(square2.cssWidth == 10)
        // Images do not overlap.
        let a = PixelRect(x: Double(square1.x), y: Double(square1.y), width: 10, height: 10)
        let b = PixelRect(x: Double(wide1.x), y: Double(wide1.y), width: 20, height: 8)
        #expect(!a.intersects(b))
        // The served PNG and JSON describe the same sheet.
        let decoded = try PNGDecoder.decode(two.pngBytes)
        #expect((decoded.width, decoded.height) == (two.width, two.height))
        #expect(decoded.pixel(square2.x + 10, square2.y + 10) == [255, 0, 0, 255])
        let wide2 = try #require(two.images["wide"])
        #expect(decoded.pixel(wide2.x + 20, wide2.y + 8) == [0, 0, 255, 255])
        let reread = try SpriteSheet.load(json: two.jsonBytes, jsonFile: "sprite@2x.json", png: two.pngBytes, pngFile: "sprite@2x.png", pixelRatio: 2)
        #expect(reread.images == two.images)
    }

    @Test func badSVGNamesItsFile() {
        do {
            _ = try SpriteBuilder.build([.init(name: "broken", file: "icons/broken.svg", svg: Array("<svg".utf8))])
            Issue.record("accepted a broken SVG")
        } catch {
            #expect(error.file == "icons/broken.svg")
            #expect(error.code == .invalidIcon)
        }
    }
}
