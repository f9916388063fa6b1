import CairnCore

/// Compiles one property value (constant, legacy function or expression) into a `StyleProperty`.
enum PropertyCompiler {
    static func compile<T>(_ json: JSONValue, at path: String, kind: PropertyKind<T>) throws -> StyleProperty<T> {
        let expression: any StyleExpression
        switch json {
        case .array(let items) where isExpression(items, kind: kind):
            expression = try compileExpression(json, at: path, kind: kind)
            try ZoomCurve.check(expression, at: path)
        case .object:
            expression = try LegacyFunction.convert(json, at: path, kind: kind)
        default:
            if kind.isTextField, case .string(let text) = json, let tokens = TokenString(text) {
                expression = tokens
                break
            }
            guard let value = kind.value(fromJSON: json), let constant = kind.convert(value) else {
                throw StyleIssue(path, kind.mismatch(json))
            }
            return StyleProperty(constant: constant)
        }
        if let literal = expression as? Literal {
            guard let constant = kind.convert(literal.value) else {
                throw StyleIssue(path, "expected \(kind.expectation), got \(literal.value.jsonText)")
            }
            return StyleProperty(constant: constant)
        }
        return StyleProperty(expression: expression, defaultValue: kind.defaultValue, convert: kind.convert)
    }

    /// Arrays are expressions unless the property takes arrays and this one does not start with an
    /// operator name (`"text-font": ["Noto Sans Regular"]`, `"line-dasharray": [2, 1]`).
    private static func isExpression<T>(_ items: [JSONValue], kind: PropertyKind<T>) -> Bool {
        guard kind.expected.isArray else { return true }
        guard case .string(let name)? = items.first else { return false }
        return ExpressionParser.isOperator(name)
    }

    static func compileExpression<T>(_ json: JSONValue, at path: String, kind: PropertyKind<T>) throws -> any StyleExpression {
        let parser = ExpressionParser()
        if kind.isTextField {
            // text-field is `formatted` in MapLibre: any value is shown as text.
            let parsed = try parser.parse(json, at: path)
            if parsed.type == .string { return parsed }
            if let literal = parsed as? Literal { return Literal(value: .string(literal.value.stringified)) }
            return ToString(operand: parsed)
        }
        return try parser.parse(json, at: path, expected: kind.expected)
    }
}
