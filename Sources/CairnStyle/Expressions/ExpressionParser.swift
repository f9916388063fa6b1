import CairnCore

/// One `[operator, args...]` array being parsed.
struct ExpressionCall {
    /// The operator name.
    let name: String
    /// The whole array, operator included, so argument `i` is `items[i]`.
    let items: [JSONValue]
    /// JSON path of the array.
    let path: String
    /// The type the caller expects, if any.
    let expected: ExpressionType?

    var argumentCount: Int { items.count - 1 }

    func path(of index: Int) -> String { path.jsonElement(index) }

    func issue(_ message: String) -> StyleIssue { StyleIssue(path, message) }

    /// Fails unless the number of arguments (operator excluded) is in `range`.
    func expectArguments(_ range: ClosedRange<Int>) throws {
        guard !range.contains(argumentCount) else { return }
        let wanted: String
        if range.lowerBound == range.upperBound {
            wanted = "\(range.lowerBound) argument" + (range.lowerBound == 1 ? "" : "s")
        } else if range.upperBound == Int.max {
            wanted = "at least \(range.lowerBound) argument" + (range.lowerBound == 1 ? "" : "s")
        } else {
            wanted = "\(range.lowerBound) to \(range.upperBound) arguments"
        }
        throw issue("\"\(name)\" expects \(wanted), got \(argumentCount)")
    }

    /// The type outputs should have: the expected one, or else that of the first output parsed.
    var outputExpectation: ExpressionType? {
        guard let expected, expected != .value else { return nil }
        return expected
    }
}

/// Compiles expression JSON into `StyleExpression` trees, checking types as MapLibre's
/// ParsingContext does: `value`-typed results are wrapped in run-time assertions where a concrete
/// type is expected, strings are coerced to colours, and constant sub-trees are folded.
struct ExpressionParser {
    typealias OperatorParser = @Sendable (ExpressionCall, ExpressionParser) throws -> any StyleExpression

    /// Variables bound by enclosing `let` expressions.
    var scope: [String: any StyleExpression] = [:]

    static let operators: [String: OperatorParser] = {
        var table: [String: OperatorParser] = [
            "literal": Literal.parse,
            "get": Get.parse,
            "has": Has.parse,
            "id": FeatureID.parse,
            "geometry-type": GeometryTypeExpression.parse,
            "zoom": Zoom.parse,
            "properties": FeatureProperties.parse,
            "all": AllOf.parse,
            "any": AnyOf.parse,
            "!": Not.parse,
            "in": In.parse,
            "match": Match.parse,
            "case": Case.parse,
            "coalesce": Coalesce.parse,
            "concat": Concat.parse,
            "format": Format.parse,
            "to-string": ToString.parse,
            "to-number": ToNumber.parse,
            "to-boolean": ToBoolean.parse,
            "to-color": ToColor.parse,
            "interpolate": Interpolate.parse,
            "interpolate-hcl": Interpolate.parse,
            "interpolate-lab": Interpolate.parse,
            "step": Step.parse,
            "downcase": CaseConversion.parse,
            "upcase": CaseConversion.parse,
            "length": Length.parse,
            "at": At.parse,
            "rgb": RGBColor.parse,
            "rgba": RGBColor.parse,
            "let": Let.parse,
            "var": Var.parse,
            "typeof": TypeOf.parse,
            "within": Within.parse,
            "distance": Distance.parse,
            "index-of": IndexOf.parse,
            "slice": Slice.parse,
            "split": Split.parse,
            "join": Join.parse,
            "to-rgba": ToRGBA.parse,
            "global-state": GlobalState.parse,
            "feature-state": FeatureState.parse,
            "is-supported-script": IsSupportedScript.parse,
            "error": ErrorExpression.parse,
            "collator": CollatorExpression.parse,
            "semiliteral": Semiliteral.parse,
            "image": ImageExpression.parse,
            "number-format": NumberFormat.parse,
            "resolved-locale": ResolvedLocale.parse,
        ]
        for name in Comparison.Operator.allCases { table[name.rawValue] = Comparison.parse }
        for name in Arithmetic.Operator.allCases { table[name.rawValue] = Arithmetic.parse }
        for name in MathFunction.Function.allCases { table[name.rawValue] = MathFunction.parse }
        for name in Assertion.names { table[name] = Assertion.parse }
        for name in RenderingGlobal.names { table[name] = RenderingGlobal.parse }
        return table
    }()

    static func isOperator(_ name: String) -> Bool { operators[name] != nil }

    /// Parses `json` at `path`. With `annotate` false, `value`-typed results are not wrapped in
    /// assertions (as `coalesce` needs for its arguments). With `coerceToString`, a `value`-typed
    /// result where a string is expected is converted with `to-string` instead of asserted, as
    /// MapLibre does at the top of string-typed properties.
    func parse(
        _ json: JSONValue,
        at path: String,
        expected: ExpressionType? = nil,
        annotate: Bool = true,
        coerceToString: Bool = false
    ) throws -> any StyleExpression {
        var parsed = try parseUnannotated(json, at: path, expected: expected)
        // An empty array literal takes the array type expected of it.
        if let literal = parsed as? Literal, case .array(let items) = literal.value, items.isEmpty,
           let expected, expected.isArray {
            parsed = Literal(value: literal.value, type: expected)
        }
        if let expected, expected != .value {
            let actual = parsed.type
            let needsAssertion: Bool
            switch expected {
            case .string, .number, .boolean, .object, .array: needsAssertion = actual == .value
            default: needsAssertion = false
            }
            let needsCoercion = (expected == .color || expected == .resolvedImage || expected == .formatted)
                && (actual == .value || actual == .string)
            if needsAssertion && coerceToString && expected == .string {
                parsed = ToString(operand: parsed)
            } else if needsAssertion {
                if annotate { parsed = Assertion(type: expected, arguments: [parsed]) }
            } else if needsCoercion {
                if annotate {
                    switch expected {
                    case .color: parsed = ToColor(arguments: [parsed])
                    case .formatted: parsed = Format(sections: [Format.Section(content: parsed)])
                    default: parsed = ImageExpression(name: parsed)
                    }
                }
            } else if !expected.accepts(actual) {
                throw StyleIssue(path, "expected \(expected), got \(actual)")
            }
        }
        if !(parsed is Literal), parsed.dependencies.isConstant {
            do {
                let value = try parsed.evaluate(.constantFolding)
                parsed = Literal(value: value, type: parsed.type)
            } catch {
                throw StyleIssue(path, error.message)
            }
        }
        return parsed
    }

    private func parseUnannotated(
        _ json: JSONValue,
        at path: String,
        expected: ExpressionType?
    ) throws -> any StyleExpression {
        switch json {
        case .null, .bool, .number, .string:
            return Literal(value: ExpressionValue(json: json))
        case .object:
            throw StyleIssue(path, "bare objects are not expressions, use [\"literal\", {...}]")
        case .array(let items):
            guard let first = items.first else {
                throw StyleIssue(path, "expected an expression, got an empty array (use [\"literal\", []])")
            }
            guard case .string(let name) = first else {
                throw StyleIssue(path.jsonElement(0),
                                 "expected an expression operator name, got \(first.abbreviated) (use [\"literal\", [...]] for arrays)")
            }
            guard let operatorParser = ExpressionParser.operators[name] else {
                throw StyleIssue(path.jsonElement(0), "unknown expression operator \(JSONValue.quote(name))")
            }
            return try operatorParser(ExpressionCall(name: name, items: items, path: path, expected: expected), self)
        }
    }

    /// Parses argument `index` of `call`.
    func argument(
        _ index: Int,
        of call: ExpressionCall,
        expected: ExpressionType? = nil,
        annotate: Bool = true
    ) throws -> any StyleExpression {
        try parse(call.items[index], at: call.path(of: index), expected: expected, annotate: annotate)
    }

    /// Parses the outputs of a branching expression (`case`, `match`, `step`...): all must share
    /// the expected type, or the type of the first when nothing is expected.
    func outputs(
        _ indices: [Int],
        of call: ExpressionCall
    ) throws -> (outputs: [any StyleExpression], type: ExpressionType) {
        var outputType = call.outputExpectation
        var outputs: [any StyleExpression] = []
        for index in indices {
            let output = try argument(index, of: call, expected: outputType)
            if outputType == nil { outputType = output.type.withoutLength }
            outputs.append(output)
        }
        return (outputs, outputType ?? .value)
    }
}
