import CairnCore
import Foundation
@testable import CairnStyle

/// One case of MapLibre's expression tests (`test.json`: expression, property spec, inputs and expected
/// results), checked as MapLibre's harness (`test/integration/expression/expression.test.ts`) checks it:
/// the compile result (success or error, and on success the type and whether the expression reads the
/// feature or the zoom), then every output, numbers to 6 significant figures, colours as [r, g, b, a]
/// premultiplied in 0...1, run-time errors as errors (their wording is not compared).
enum MapLibreExpressionFixture {
    /// Nil when Cairn agrees with MapLibre on the case; otherwise why not.
    static func failure(_ file: URL) -> String? {
        guard let data = try? Data(contentsOf: file), let fixture = try? JSONParser.parse([UInt8](data)) else {
            return "unreadable fixture"
        }
        guard let expression = fixture["expression"], let expected = fixture["expected"],
              let compiledExpectation = expected["compiled"] else { return "fixture without expression or expectation" }
        let spec = fixture["propertySpec"]
        let type: ExpressionType
        do {
            type = try expressionType(spec)
        } catch {
            return "property spec: \(error)"
        }
        let compiled: any StyleExpression
        do {
            if case .object = expression {
                compiled = try legacyFunction(expression, spec: spec)
            } else {
                compiled = try ExpressionParser().parse(expression, at: "", expected: type, coerceToString: type == .string)
                try ZoomCurve.check(compiled, at: "")
            }
        } catch {
            if compiledExpectation["result"] == .string("error") { return nil }
            return "compile error \(error)"
        }
        guard compiledExpectation["result"] != .string("error") else { return "compiled; MapLibre expects a compile error" }
        let dependencies = compiled.dependencies
        if let featureConstant = compiledExpectation["isFeatureConstant"], featureConstant != .bool(!dependencies.usesFeature) {
            return "isFeatureConstant \(!dependencies.usesFeature), expected \(featureConstant)"
        }
        if let zoomConstant = compiledExpectation["isZoomConstant"], zoomConstant != .bool(!dependencies.usesZoom) {
            return "isZoomConstant \(!dependencies.usesZoom), expected \(zoomConstant)"
        }
        if let expectedType = compiledExpectation["type"]?.stringValue, expectedType != compiled.type.description {
            return "type \(compiled.type), expected \(expectedType)"
        }
        let inputs = fixture["inputs"]?.arrayValue ?? []
        let outputs = expected["outputs"]?.arrayValue ?? []
        guard inputs.count == outputs.count else { return "\(inputs.count) inputs, \(outputs.count) outputs" }
        let isLegacy: Bool
        if case .object = expression { isLegacy = true } else { isLegacy = false }
        let globalState = fixture["globalState"].map { ExpressionValue(json: $0).objectValue ?? [:] }
        for (index, (input, output)) in zip(inputs, outputs).enumerated() {
            guard let context = context(input, globalState: globalState) else { return "input \(index) not representable" }
            let result: ExpressionValue
            do {
                result = try compiled.evaluate(context)
            } catch {
                if case .object = output, output["error"] != nil { continue }
                return "input \(index): error \(error.message), expected \(output)"
            }
            // A legacy function's null (no stop applies, attribute missing) makes the property take its
            // default, which is what MapLibre's run-time error there does too.
            if isLegacy, result.isNull {
                if case .object = output, output["error"] != nil { continue }
                if let fallback = spec?["default"], matches(ExpressionValue(json: fallback), output) || type == .color { continue }
            }
            if case .object = output, output["error"] != nil { return "input \(index): \(result), expected an error" }
            guard matches(result, output) else { return "input \(index): \(result), expected \(output)" }
        }
        return nil
    }

    /// A legacy function converted as a style property of the spec's type would be.
    static func legacyFunction(_ json: JSONValue, spec: JSONValue?) throws -> any StyleExpression {
        let fallback = spec?["default"]
        switch spec?["type"]?.stringValue {
        case "number": return try LegacyFunction.convert(json, at: "", kind: .number(fallback?.numberValue ?? 0))
        case "color": return try LegacyFunction.convert(json, at: "", kind: .color(.black))
        case "boolean": return try LegacyFunction.convert(json, at: "", kind: .boolean(fallback == .bool(true)))
        case "array" where spec?["value"] == .string("number"):
            return try LegacyFunction.convert(json, at: "", kind: .numbers([], count: spec?["length"]?.numberValue.map { Int($0) }))
        case "array": return try LegacyFunction.convert(json, at: "", kind: .strings([]))
        default:
            // An enum accepts only its values; others make the property take its default.
            let allowed = spec?["values"]?.objectMembers.map { Set($0.map(\.key)) }
            var kind = PropertyKind<String>(expected: .string, expectation: "string", isEnumeration: allowed != nil,
                                            isInterpolatable: false, defaultValue: fallback?.stringValue ?? "") { value in
                guard case .string(let text) = value, allowed?.contains(text) ?? true else { return nil }
                return text
            }
            kind.isTextField = spec?["tokens"] == .bool(true)
            return try LegacyFunction.convert(json, at: "", kind: kind)
        }
    }

    /// The type a property spec asks for (`type`, `value`, `length`), as MapLibre's `getExpectedType`.
    static func expressionType(_ spec: JSONValue?) throws -> ExpressionType {
        switch spec?["type"]?.stringValue {
        case "number": return .number
        case "string": return .string
        case "boolean": return .boolean
        case "color": return .color
        case "resolvedImage": return .resolvedImage
        case "formatted": return .formatted
        case "array":
            let item = try expressionType(.object([JSONMember(key: "type", value: spec?["value"] ?? .string("value"))]))
            return .array(item, spec?["length"]?.numberValue.map { Int($0) })
        case "enum": return .string
        // MapLibre sets no expectation for types it does not know.
        case nil, "*", "null", "value": return .value
        case let other?: throw StyleIssue("propertySpec.type", "unsupported property type \(other)")
        }
    }

    /// The evaluation context of one `[globals, feature]` input; nil for inputs Cairn cannot represent.
    static func context(_ input: JSONValue, globalState: [String: ExpressionValue]?) -> EvaluationContext? {
        guard let pair = input.arrayValue else { return nil }
        let globals = pair.first ?? .object([])
        let feature = pair.count > 1 ? pair[1] : .object([])
        var properties: [String: PropertyValue] = [:]
        var structured: [String: ExpressionValue] = [:]
        for member in feature["properties"]?.objectMembers ?? [] {
            switch member.value {
            case .null: properties[member.key] = .null
            case .bool(let b): properties[member.key] = .bool(b)
            case .number(let n): properties[member.key] = n.rounded() == n && abs(n) < 9e15 ? .int(Int64(n)) : .double(n)
            case .string(let s): properties[member.key] = .string(s)
            case .array, .object: structured[member.key] = ExpressionValue(json: member.value)
            }
        }
        var geometryType = feature["geometry"]?["type"]?.stringValue.flatMap { GeoJSONGeometry.kind(of: $0) }
        let id = feature["id"]?.numberValue.flatMap { $0.rounded() == $0 && abs($0) < 9e15 ? Int64($0) : nil }
        var context = EvaluationContext(zoom: globals["zoom"]?.numberValue ?? 0, properties: properties,
                                        geometryType: geometryType, featureID: id)
        if !structured.isEmpty { context.structuredProperties = structured }
        if let state = feature["featureState"] { context.featureState = ExpressionValue(json: state).objectValue }
        context.globalState = globalState
        var renderingGlobals: [String: ExpressionValue] = [:]
        for (key, name) in [("heatmapDensity", "heatmap-density"), ("elevation", "elevation"),
                            ("lineProgress", "line-progress"), ("accumulated", "accumulated")] {
            if let value = globals[key] { renderingGlobals[name] = ExpressionValue(json: value) }
        }
        if !renderingGlobals.isEmpty { context.renderingGlobals = renderingGlobals }
        if let images = globals["availableImages"]?.arrayValue {
            context.availableImages = Set(images.compactMap(\.stringValue))
        }
        if let tile = globals["canonicalID"], let z = tile["z"]?.numberValue, let x = tile["x"]?.numberValue,
           let y = tile["y"]?.numberValue, let geometry = feature["geometry"] {
            // As MapLibre's harness does: the geometry goes through tile coordinates (extent 8192) of that tile.
            let converted = GeoJSONGeometry(json: geometry).flatMap { geometry in
                geometry.coordinates.isEmpty ? nil : FeatureGeometry(lonLat: geometry.coordinates, tileZoom: Int(z), tileX: Int(x), tileY: Int(y))
            }
            context.geometry = converted
            if converted == nil { geometryType = nil }
        }
        return context
    }

    /// MapLibre's comparison: numbers to 6 significant figures (NaN is JSON null), colours as
    /// premultiplied [r, g, b, a], formatted text as its sections.
    static func matches(_ value: ExpressionValue, _ expected: JSONValue) -> Bool {
        switch (value, expected) {
        case (.null, .null): return true
        case (.number(let a), .null): return a.isNaN
        case (.boolean(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .number(let b)):
            if b == 0 || a == b { return abs(a - b) < 1e-300 || a == b }
            let unit = pow(10, ceil(log10(abs(b))) - 6)
            return abs(a - b) < unit
        case (.color(let c), .array):
            let premultiplied: [ExpressionValue] = [.number(c.red * c.alpha), .number(c.green * c.alpha),
                                                    .number(c.blue * c.alpha), .number(c.alpha)]
            return matches(.array(premultiplied), expected)
        case (.array(let items), .array(let expectedItems)):
            return items.count == expectedItems.count && zip(items, expectedItems).allSatisfy { matches($0, $1) }
        case (.object(let dictionary), .object(let members)):
            return dictionary.count == members.count
                && members.allSatisfy { member in dictionary[member.key].map { matches($0, member.value) } ?? false }
        case (.formatted(let text), _):
            func optional(_ value: ExpressionValue?) -> ExpressionValue { value ?? .null }
            let sections: [ExpressionValue] = text.sections.map { section in
                .object(["text": .string(section.text),
                         "image": optional(section.image.map { .image($0) }),
                         "scale": optional(section.scale.map { .number($0) }),
                         "fontStack": optional(section.fontStack.map { .string($0.joined(separator: ",")) }),
                         "textColor": optional(section.textColor.map { c in
                             .object(["r": .number(c.red * c.alpha), "g": .number(c.green * c.alpha),
                                      "b": .number(c.blue * c.alpha), "a": .number(c.alpha)]) }),
                         "verticalAlign": optional(section.verticalAlign.map { .string($0) })])
            }
            return matches(.object(["sections": .array(sections)]), expected)
        case (.image(let image), _):
            return matches(.object(["name": .string(image.name), "available": .boolean(image.available)]), expected)
        default: return false
        }
    }
}
