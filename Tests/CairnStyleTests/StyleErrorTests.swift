import CairnCore
import Testing
import Foundation
@testable import CairnStyle

/// Every bad style in Fixtures/bad-styles fails to load with exactly the message listed in
/// Fixtures/bad-styles/expected-errors.json (the file is named `styles/<name>.json` in messages).
@Suite struct StyleErrorTests {
    static let expected: [JSONMember] = (try? FixtureFiles.json("bad-styles/expected-errors.json").objectMembers) ?? []
    static let names = expected.map(\.key)

    @Test func everyFixtureHasAnExpectation() {
        let files = FixtureFiles.list("bad-styles", suffix: ".json").filter { !$0.hasSuffix("expected-errors.json") }
        #expect(files.count == StyleErrorTests.names.count)
        #expect(StyleErrorTests.names.count >= 20)
    }

    @Test(arguments: StyleErrorTests.names)
    func badStyle(_ name: String) throws {
        let message = try #require(StyleErrorTests.expected.first { $0.key == name }?.value.stringValue)
        let data = try FixtureFiles.data("bad-styles/" + name)
        do {
            _ = try Style.parse(data, path: "styles/" + name)
            Issue.record("\(name) loaded, expected: \(message)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func malformedJSONHasItsOwnCode() throws {
        let data = try FixtureFiles.data("bad-styles/malformed.json")
        let error = try #require(throws: StyleError.self) { try Style.parse(data, path: "m.json") }
        #expect(error.code == .malformedJSON)
        #expect(error.location == "line 4, column 3 (byte 36)")
    }

    @Test func invalidStyleCodeAndLocation() throws {
        let data = try FixtureFiles.data("bad-styles/raster-layer.json")
        let error = try #require(throws: StyleError.self) { try Style.parse(data, path: "x.json") }
        #expect(error.code == .invalidStyle)
        #expect(error.file == "x.json")
        #expect(error.location == "layers[2].type")
    }

    @Test func missingFileIsUnreadable() throws {
        let error = try #require(throws: StyleError.self) { try Style.load(path: "/nonexistent/style.json") }
        #expect(error.code == .unreadableFile)
        #expect(error.description.hasPrefix("/nonexistent/style.json: cannot read the file"))
    }

    @Test(arguments: [
        ("", "line 1, column 1 (byte 0): expected a value, got end of file"),
        ("{\"a\": tru}", "line 1, column 7 (byte 6): expected a value, got invalid literal"),
        ("[1, 2,]", "line 1, column 7 (byte 6): expected a value, got ']'"),
        ("{\"a\": 1} x", "line 1, column 10 (byte 9): unexpected text after the JSON value"),
        ("{\"a\": \"\\x\"}", "line 1, column 8 (byte 7): invalid escape sequence"),
        ("\n\n  [01]", "line 3, column 5 (byte 6): expected ',' or ']', got '1'"),
    ])
    func malformedJSONPositions(_ text: String, _ message: String) throws {
        let error = try #require(throws: StyleError.self) { try Style.parse(Data(text.utf8), path: "s.json") }
        #expect(error.description == "s.json: " + message)
    }
}
