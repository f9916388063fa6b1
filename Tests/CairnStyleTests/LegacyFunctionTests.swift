import Testing
import CairnCore
@testable import CairnStyle

@Suite struct LegacyFunctionTests {
    static func compile<T>(_ text: String, _ kind: PropertyKind<T>) throws -> StyleProperty<T> {
        try PropertyCompiler.compile(JSONParser.parse(Array(text.utf8)), at: "p", kind: kind)
    }

    static func feature(_ properties: [String: PropertyValue], zoom: Double = 0) -> EvaluationContext {
        EvaluationContext(zoom: zoom, properties: properties)
    }

    @Test func zoomFunctionLinear() throws {
        let width = try Self.compile(#"{"stops": [[10, 1], [20, 11]]}"#, .number(1))
        #expect(width.isFeatureConstant && !width.isZoomConstant)
        #expect(width.evaluate(atZoom: 5) == 1)
        #expect(width.evaluate(atZoom: 15) == 6)
        #expect(width.evaluate(atZoom: 25) == 11)
    }

    @Test func zoomFunctionExponentialBase() throws {
        let width = try Self.compile(#"{"stops": [[0, 0], [2, 30]], "base": 2}"#, .number(1))
        #expect(abs(width.evaluate(atZoom: 1) - 10) < 1e-9)
    }

    @Test func zoomFunctionOfEnumIsInterval() throws {
        let cap = try Self.compile(#"{"stops": [[0, "butt"], [10, "round"]]}"#, .enumeration(LineCap.butt))
        #expect(cap.evaluate(atZoom: 9.9) == .butt)
        #expect(cap.evaluate(atZoom: 10) == .round)
    }

    @Test func zoomFunctionOfColors() throws {
        let color = try Self.compile(##"{"stops": [[0, "#000000"], [10, "#ffffff"]]}"##, .color(.black))
        let mid = color.evaluate(atZoom: 5)
        #expect(abs(mid.red - 0.5) < 1e-9 && abs(mid.blue - 0.5) < 1e-9 && mid.alpha == 1)
    }

    @Test func intervalZoomFunction() throws {
        let width = try Self.compile(#"{"type": "interval", "stops": [[0, 1], [10, 2], [15, 4]]}"#, .number(1))
        #expect(width.evaluate(atZoom: -1) == 1)
        #expect(width.evaluate(atZoom: 9) == 1)
        #expect(width.evaluate(atZoom: 12) == 2)
        #expect(width.evaluate(atZoom: 15) == 4)
    }

    @Test func categoricalDataFunction() throws {
        let color = try Self.compile(
            #"{"property": "highway", "type": "categorical", "stops": [["motorway", "red"], ["trunk", "orange"]], "default": "white"}"#,
            .color(.black))
        #expect(!color.isFeatureConstant && color.isZoomConstant)
        #expect(color.attributeKeys == ["highway"])
        #expect(color.evaluate(Self.feature(["highway": .string("motorway")])) == Color(red: 1, green: 0, blue: 0))
        #expect(color.evaluate(Self.feature(["highway": .string("service")])) == .white)
        #expect(color.evaluate(Self.feature([:])) == .white)
    }

    @Test func categoricalNumbersAndBooleans() throws {
        let width = try Self.compile(#"{"property": "cau", "type": "categorical", "stops": [[1, 4], [true, 5]]}"#, .number(1))
        #expect(width.evaluate(Self.feature(["cau": .int(1)])) == 4)
        #expect(width.evaluate(Self.feature(["cau": .double(1.0)])) == 4)
        #expect(width.evaluate(Self.feature(["cau": .bool(true)])) == 5)
        // No default: the property's own default.
        #expect(width.evaluate(Self.feature(["cau": .int(0)])) == 1)
    }

    @Test func intervalDataFunction() throws {
        let height = try Self.compile(
            #"{"property": "so_tang", "type": "interval", "stops": [[0, 3], [5, 15], [10, 30]], "default": 2}"#, .number(0))
        #expect(height.evaluate(Self.feature(["so_tang": .int(3)])) == 3)
        #expect(height.evaluate(Self.feature(["so_tang": .int(5)])) == 15)
        #expect(height.evaluate(Self.feature(["so_tang": .double(12.5)])) == 30)
        #expect(height.evaluate(Self.feature(["so_tang": .string("many")])) == 2)
    }

    @Test func exponentialDataFunction() throws {
        let radius = try Self.compile(#"{"property": "aqi", "stops": [[0, 2], [100, 12]]}"#, .number(5))
        #expect(radius.evaluate(Self.feature(["aqi": .int(50)])) == 7)
        #expect(radius.evaluate(Self.feature(["aqi": .string("x")])) == 5)
    }

    @Test func identityFunctions() throws {
        let width = try Self.compile(#"{"property": "so_lan", "type": "identity"}"#, .number(1))
        #expect(width.evaluate(Self.feature(["so_lan": .int(4)])) == 4)
        #expect(width.evaluate(Self.feature(["so_lan": .string("4")])) == 1)
        let color = try Self.compile(#"{"property": "mau", "type": "identity", "default": "blue"}"#, .color(.black))
        #expect(color.evaluate(Self.feature(["mau": .string("#ff0000")])) == Color(red: 1, green: 0, blue: 0))
        #expect(color.evaluate(Self.feature(["mau": .string("nope")])) == Color(red: 0, green: 0, blue: 1))
        let anchor = try Self.compile(#"{"property": "a", "type": "identity"}"#, .enumeration(TextAnchor.center))
        #expect(anchor.evaluate(Self.feature(["a": .string("top-left")])) == .topLeft)
        #expect(anchor.evaluate(Self.feature(["a": .string("middle")])) == .center)
    }

    @Test func zoomAndPropertyFunction() throws {
        let width = try Self.compile(#"""
            {"property": "lanes", "type": "interval", "base": 1,
             "stops": [[{"zoom": 10, "value": 0}, 1], [{"zoom": 10, "value": 4}, 2],
                       [{"zoom": 20, "value": 0}, 5], [{"zoom": 20, "value": 4}, 10]]}
            """#, .number(1))
        #expect(!width.isFeatureConstant && !width.isZoomConstant)
        #expect(width.evaluate(Self.feature(["lanes": .int(2)], zoom: 10)) == 1)
        // Interval functions step between zoom stops too (MapLibre's legacy/interval/composite case).
        #expect(width.evaluate(Self.feature(["lanes": .int(6)], zoom: 15)) == 2)
        #expect(width.evaluate(Self.feature(["lanes": .int(6)], zoom: 20)) == 10)
    }

    @Test func textFieldFunctionKeepsTokens() throws {
        let text = try Self.compile(#"{"stops": [[0, "{ten}"], [14, "{ten} ({so_hieu})"]]}"#, .text)
        #expect(text.attributeKeys == ["ten", "so_hieu"])
        let context = Self.feature(["ten": .string("Lạch Tray"), "so_hieu": .string("QL.5")], zoom: 15)
        #expect(text.evaluate(context) == "Lạch Tray (QL.5)")
    }

    @Test(arguments: [
        (#"{"stops": []}"#, "p.stops: expected non-empty array of stops, got []"),
        (#"{"stops": [[1, 2], [0, 3]]}"#, "p.stops[1][0]: stop inputs must be in ascending order"),
        (#"{"type": "smooth", "stops": [[1, 2]]}"#, #"p.type: expected one of identity, exponential, interval, categorical, got "smooth""#),
        (#"{"base": 2}"#, "p.stops: required property missing, expected array of stops"),
        (#"{"stops": [[1]]}"#, "p.stops[0]: expected [input, output], got [1]"),
    ])
    func malformedFunctions(_ text: String, _ message: String) throws {
        do {
            _ = try Self.compile(text, .number(1))
            Issue.record("compiled, expected \(message)")
        } catch let issue as StyleIssue {
            #expect("\(issue.path): \(issue.message)" == message)
        }
    }
}
