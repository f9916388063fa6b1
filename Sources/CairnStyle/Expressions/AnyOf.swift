/// `["any", ...]`: true when some argument is true (false for none); stops at the first true.
struct AnyOf: StyleExpression {
    let operands: [any StyleExpression]
    var type: ExpressionType { .boolean }
    var children: [any StyleExpression] { operands }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        for operand in operands {
            if case .boolean(true) = try operand.evaluate(context) { return .boolean(true) }
        }
        return .boolean(false)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        AnyOf(operands: try (1..<call.items.count).map { try parser.argument($0, of: call, expected: .boolean) })
    }
}
