import Testing
import Foundation
import CairnCore
@testable import CairnStyle

/// Runs the expression spec tests in Fixtures/expressions/<operator>/<case>.json, written in the
/// style of MapLibre's expression-tests: `expression`, optional `propertySpec`, `inputs` as
/// `[globals, feature]` pairs, and `expected` with `compiled` and `outputs`.
@Suite struct ExpressionSpecTests {
    static let cases = FixtureFiles.list("expressions", suffix: ".json")

    @Test func fixturesExist() {
        #expect(ExpressionSpecTests.cases.count > 80)
    }

    @Test(arguments: ExpressionSpecTests.cases)
    func expression(_ file: String) throws {
        let fixture = try FixtureFiles.json(file)
        let expression = try #require(fixture["expression"])
        let expected = try #require(fixture["expected"])
        let compiledExpectation = expected["compiled"]
        let type = try fixture["propertySpec"].map(Self.expressionType)

        let compiled: any StyleExpression
        do {
            compiled = try ExpressionParser().parse(expression, at: "", expected: type)
        } catch let issue as StyleIssue {
            let errors = try #require(compiledExpectation?["errors"]?.arrayValue, "unexpected compile error: \(issue.path): \(issue.message)")
            #expect(compiledExpectation?["result"] == .string("error"))
            let first = try #require(errors.first)
            #expect(issue.path == first["key"]?.stringValue)
            #expect(issue.message == first["error"]?.stringValue)
            return
        }
        if let compiledExpectation {
            #expect(compiledExpectation["result"] == .string("success"), "expected a compile error")
            let dependencies = compiled.dependencies
            if let featureConstant = compiledExpectation["isFeatureConstant"] {
                #expect(featureConstant == .bool(!dependencies.usesFeature))
            }
            if let zoomConstant = compiledExpectation["isZoomConstant"] {
                #expect(zoomConstant == .bool(!dependencies.usesZoom))
            }
            if let typeName = compiledExpectation["type"] {
                #expect(typeName == .string(compiled.type.description))
            }
        }

        let inputs = fixture["inputs"]?.arrayValue ?? []
        let outputs = expected["outputs"]?.arrayValue ?? []
        #expect(inputs.count == outputs.count, "inputs and outputs differ in number")
        for (index, (input, output)) in zip(inputs, outputs).enumerated() {
            let context = try Self.context(input)
            let result: ExpressionValue?
            do {
                result = try compiled.evaluate(context)
            } catch {
                result = nil
            }
            if case .object = output, output["error"] != nil {
                #expect(result == nil, "input \(index): expected an evaluation error, got \(String(describing: result))")
            } else {
                let value = try #require(result, "input \(index): unexpected evaluation error")
                #expect(Self.matches(value, output), "input \(index): expected \(output), got \(value)")
            }
        }
    }

    static func expressionType(_ spec: JSONValue) throws -> ExpressionType {
        switch spec["type"]?.stringValue {
        case "number": return .number
        case "string": return .string
        case "boolean": return .boolean
        case "color": return .color
        case "array":
            let item = try expressionType(.object([JSONMember(key: "type", value: spec["value"] ?? .string("value"))]))
            return .array(item, spec["length"]?.numberValue.map { Int($0) })
        default: return .value
        }
    }

    static func context(_ input: JSONValue) throws -> EvaluationContext {
        let pair = try #require(input.arrayValue)
        let globals = pair.first ?? .object([])
        let feature = pair.count > 1 ? pair[1] : .object([])
        var properties: [String: PropertyValue] = [:]
        for member in feature["properties"]?.objectMembers ?? [] {
            switch member.value {
            case .null: properties[member.key] = .null
            case .bool(let b): properties[member.key] = .bool(b)
            // Integral numbers arrive as integers, as from a GeoPackage INTEGER column.
            case .number(let n): properties[member.key] = n.rounded() == n ? .int(Int64(n)) : .double(n)
            case .string(let s): properties[member.key] = .string(s)
            default: Issue.record("unsupported property value \(member.value)")
            }
        }
        let geometryType = feature["geometry"]?["type"]?.stringValue.flatMap(GeometryKind.init(rawValue:))
        let id = feature["id"]?.numberValue.map { Int64($0) }
        return EvaluationContext(zoom: globals["zoom"]?.numberValue ?? 0, properties: properties,
                                 geometryType: geometryType, featureID: id)
    }

    /// Compares with a tolerance for numbers; colours are written as [r, g, b, a] in 0...1.
    static func matches(_ value: ExpressionValue, _ expected: JSONValue) -> Bool {
        switch (value, expected) {
        case (.null, .null): return true
        case (.boolean(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .number(let b)): return abs(a - b) <= 1e-6 * max(1, abs(b))
        case (.color(let c), .array):
            return matches(.array([.number(c.red), .number(c.green), .number(c.blue), .number(c.alpha)]), expected)
        // Cairn draws formatted text in one style, so a fixture may give just its text.
        case (.formatted(let text), .string(let b)): return text.plainText == b
        case (.array(let items), .array(let expectedItems)):
            return items.count == expectedItems.count && zip(items, expectedItems).allSatisfy { matches($0, $1) }
        case (.object(let dictionary), .object(let members)):
            return dictionary.count == members.count
                && members.allSatisfy { member in dictionary[member.key].map { matches($0, member.value) } ?? false }
        default: return false
        }
    }
}
