/// `["length", string | array]`. Strings count Unicode code points, as MapLibre does (`[...text].length`).
struct Length: StyleExpression {
    let operand: any StyleExpression
    var type: ExpressionType { .number }
    var children: [any StyleExpression] { [operand] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        switch try operand.evaluate(context) {
        case .string(let text): return .number(Double(text.unicodeScalars.count))
        case .array(let items): return .number(Double(items.count))
        default: throw ExpressionEvaluationError("expected a string or an array")
        }
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        let operand = try parser.argument(1, of: call)
        guard operand.type == .string || operand.type == .value || operand.type.isArray else {
            throw StyleIssue(call.path(of: 1), "expected string or array, got \(operand.type)")
        }
        return Length(operand: operand)
    }
}
