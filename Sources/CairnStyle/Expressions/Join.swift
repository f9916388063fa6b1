/// `["join", array<string>, delimiter]`: the strings of an array joined with a delimiter.
struct Join: StyleExpression {
    let items: any StyleExpression
    let delimiter: any StyleExpression
    var type: ExpressionType { .string }
    var children: [any StyleExpression] { [items, delimiter] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .array(let values) = try items.evaluate(context),
              case .string(let separator) = try delimiter.evaluate(context) else {
            throw ExpressionEvaluationError("expected an array of strings and a string")
        }
        return .string(values.map(\.stringified).joined(separator: separator))
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(2...2)
        return Join(items: try parser.argument(1, of: call, expected: .array(.string, nil)),
                    delimiter: try parser.argument(2, of: call, expected: .string))
    }
}
