/// `["to-string", value]`: "" for null, "true"/"false", JavaScript number text, `rgba(...)` for
/// colours, JSON for arrays and objects.
struct ToString: StyleExpression {
    let operand: any StyleExpression
    var type: ExpressionType { .string }
    var children: [any StyleExpression] { [operand] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        let value = try operand.evaluate(context)
        if case .string = value { return value }
        return .string(value.stringified)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return ToString(operand: try parser.argument(1, of: call))
    }
}
