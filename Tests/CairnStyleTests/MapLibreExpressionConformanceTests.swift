import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnStyle

/// MapLibre's own expression tests (BSD-3-Clause), read from
/// `../shared/conformance/maplibre-style-spec/test/integration/expression/tests` (never committed; skipped
/// when that folder is absent). Cairn implements a subset of the expression language, so this tracks how
/// many cases pass: the count may only go up (raise `baseline` when it does). A case passes when the
/// compile result (success or error) and every output agree with MapLibre's expectations.
struct MapLibreExpressionConformanceTests {
    static let suite = "maplibre-style-spec/test/integration/expression/tests"
    /// Cases passing when this test was written (295 of 577); the test prints the current count.
    static let baseline = 295

    static func cases() -> [URL] {
        guard let root = TestTier.conformanceSuite(suite),
              let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [URL] = []
        while let url = enumerator.nextObject() as? URL {
            if url.lastPathComponent == "test.json" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    @Test(.conformance(suite))
    func passingCasesNeverDecrease() throws {
        let files = Self.cases()
        #expect(files.count >= 500, "expected MapLibre's ~577 expression cases")
        var passed: [String] = []
        for file in files {
            let name = file.deletingLastPathComponent().path.replacingOccurrences(of: TestTier.conformanceFolder.path + "/" + Self.suite + "/", with: "")
            if Self.passes(file) { passed.append(name) }
        }
        print("MapLibre expression conformance: \(passed.count) of \(files.count) cases pass")
        #expect(passed.count >= Self.baseline, "fewer MapLibre expression cases pass than before: \(passed.count) < \(Self.baseline)")
    }

    /// True when Cairn compiles and evaluates the case as MapLibre expects; never records an issue.
    static func passes(_ file: URL) -> Bool {
        guard let data = try? Data(contentsOf: file), let fixture = try? JSONParser.parse([UInt8](data)),
              let expression = fixture["expression"], let expected = fixture["expected"] else { return false }
        let compiledExpectation = expected["compiled"]
        let type = fixture["propertySpec"].flatMap { try? ExpressionSpecTests.expressionType($0) }
        let compiled: any StyleExpression
        do {
            compiled = try ExpressionParser().parse(expression, at: "", expected: type)
        } catch {
            return compiledExpectation?["result"] == .string("error")
        }
        guard compiledExpectation?["result"] != .string("error") else { return false }
        let inputs = fixture["inputs"]?.arrayValue ?? []
        let outputs = expected["outputs"]?.arrayValue ?? []
        guard inputs.count == outputs.count else { return false }
        for (input, output) in zip(inputs, outputs) {
            guard let context = context(input) else { return false }
            let result = try? compiled.evaluate(context)
            if case .object = output, output["error"] != nil {
                if result != nil { return false }
            } else {
                guard let value = result, ExpressionSpecTests.matches(value, output) else { return false }
            }
        }
        return true
    }

    /// The evaluation context of one `[globals, feature]` input; nil for inputs Cairn cannot represent.
    static func context(_ input: JSONValue) -> EvaluationContext? {
        guard let pair = input.arrayValue else { return nil }
        let globals = pair.first ?? .object([])
        let feature = pair.count > 1 ? pair[1] : .object([])
        var properties: [String: PropertyValue] = [:]
        for member in feature["properties"]?.objectMembers ?? [] {
            switch member.value {
            case .null: properties[member.key] = .null
            case .bool(let b): properties[member.key] = .bool(b)
            case .number(let n): properties[member.key] = n.rounded() == n && abs(n) < 9e15 ? .int(Int64(n)) : .double(n)
            case .string(let s): properties[member.key] = .string(s)
            default: return nil
            }
        }
        let geometryType = feature["geometry"]?["type"]?.stringValue.flatMap(GeometryKind.init(rawValue:))
        let id = feature["id"]?.numberValue.flatMap { $0.rounded() == $0 && abs($0) < 9e15 ? Int64($0) : nil }
        return EvaluationContext(zoom: globals["zoom"]?.numberValue ?? 0, properties: properties,
                                 geometryType: geometryType, featureID: id)
    }
}
