import Testing
import CairnCore
@testable import CairnStyle

@Suite struct ColorParsingTests {
    static func close(_ a: Color?, _ b: Color) -> Bool {
        guard let a else { return false }
        return abs(a.red - b.red) < 1e-3 && abs(a.green - b.green) < 1e-3 && abs(a.blue - b.blue) < 1e-3
            && abs(a.alpha - b.alpha) < 1e-3
    }

    @Test(arguments: [
        ("#f00", Color(red: 1, green: 0, blue: 0)),
        ("#F00A", Color(red: 1, green: 0, blue: 0, alpha: 10.0 / 15)),
        ("#00ff80", Color(red: 0, green: 1, blue: 128.0 / 255)),
        ("#00ff8080", Color(red: 0, green: 1, blue: 128.0 / 255, alpha: 128.0 / 255)),
        ("rgb(255, 128, 0)", Color(red: 1, green: 128.0 / 255, blue: 0)),
        ("rgba(255,0,0,0.5)", Color(red: 1, green: 0, blue: 0, alpha: 0.5)),
        ("rgb(100%, 50%, 0%)", Color(red: 1, green: 0.5, blue: 0)),
        ("rgb(255 0 0 / 50%)", Color(red: 1, green: 0, blue: 0, alpha: 0.5)),
        ("rgba(0, 0, 0, 0)", Color(red: 0, green: 0, blue: 0, alpha: 0)),
        ("hsl(120, 100%, 50%)", Color(red: 0, green: 1, blue: 0)),
        ("hsl(0, 0%, 50%)", Color(red: 0.5, green: 0.5, blue: 0.5)),
        ("hsla(240, 100%, 50%, 0.25)", Color(red: 0, green: 0, blue: 1, alpha: 0.25)),
        ("hsl(40, 40%, 90%)", Color(red: 0.94, green: 0.9133, blue: 0.86)),
        ("hsl(-120, 100%, 50%)", Color(red: 0, green: 0, blue: 1)),
        ("red", Color(red: 1, green: 0, blue: 0)),
        ("SteelBlue", Color(red: 70.0 / 255, green: 130.0 / 255, blue: 180.0 / 255)),
        ("  white ", Color(red: 1, green: 1, blue: 1)),
        ("rebeccapurple", Color(red: 102.0 / 255, green: 51.0 / 255, blue: 153.0 / 255)),
        ("transparent", Color(red: 0, green: 0, blue: 0, alpha: 0)),
    ])
    func parses(_ text: String, _ color: Color) {
        #expect(ColorParsingTests.close(CSSColorParser.parse(text), color), "\(text) -> \(String(describing: CSSColorParser.parse(text)))")
    }

    @Test(arguments: ["", "#ff", "#ggg", "#12345", "rgb(1,2)", "rgb(1,2,3,4,5)", "hsl(1, 2, 3)", "notacolor", "rgb(10%, 5, 5)", "cmyk(1,2,3,4)"])
    func rejects(_ text: String) {
        #expect(CSSColorParser.parse(text) == nil)
    }

    @Test func outOfRangeChannelsAreClamped() {
        #expect(ColorParsingTests.close(CSSColorParser.parse("rgb(300, -5, 0)"), Color(red: 1, green: 0, blue: 0)))
        #expect(ColorParsingTests.close(CSSColorParser.parse("rgba(0, 0, 0, 2)"), Color(red: 0, green: 0, blue: 0, alpha: 1)))
    }

    @Test func namedColourTableIsComplete() {
        #expect(CSSNamedColors.table.count == 149)
    }

    @Test func colorPropertyInterpolatesChannels() throws {
        let json = try JSONParser.parse(Array(#"["interpolate", ["linear"], ["zoom"], 0, "red", 10, "rgba(0, 0, 255, 0)"]"#.utf8))
        let property = try PropertyCompiler.compile(json, at: "p", kind: .color(.black))
        let mid = property.evaluate(EvaluationContext(zoom: 5))
        #expect(ColorParsingTests.close(mid, Color(red: 0.5, green: 0, blue: 0.5, alpha: 0.5)))
    }
}
