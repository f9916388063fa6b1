/// `["all", ...]`: true when every argument is true (true for none); stops at the first false.
struct AllOf: StyleExpression {
    let operands: [any StyleExpression]
    var type: ExpressionType { .boolean }
    var children: [any StyleExpression] { operands }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        for operand in operands {
            guard case .boolean(true) = try operand.evaluate(context) else { return .boolean(false) }
        }
        return .boolean(true)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        AllOf(operands: try (1..<call.items.count).map { try parser.argument($0, of: call, expected: .boolean) })
    }
}
