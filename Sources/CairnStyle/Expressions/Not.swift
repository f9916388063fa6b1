/// `["!", boolean]`.
struct Not: StyleExpression {
    let operand: any StyleExpression
    var type: ExpressionType { .boolean }
    var children: [any StyleExpression] { [operand] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .boolean(let value) = try operand.evaluate(context) else {
            throw ExpressionEvaluationError("expected a boolean")
        }
        return .boolean(!value)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return Not(operand: try parser.argument(1, of: call, expected: .boolean))
    }
}
