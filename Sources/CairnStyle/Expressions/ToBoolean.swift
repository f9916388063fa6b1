/// `["to-boolean", value]`: false for "", 0, NaN, null and false; true otherwise.
struct ToBoolean: StyleExpression {
    let operand: any StyleExpression
    var type: ExpressionType { .boolean }
    var children: [any StyleExpression] { [operand] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        switch try operand.evaluate(context) {
        case .null: return .boolean(false)
        case .boolean(let b): return .boolean(b)
        case .number(let n): return .boolean(n != 0 && !n.isNaN)
        case .string(let s): return .boolean(!s.isEmpty)
        default: return .boolean(true)
        }
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return ToBoolean(operand: try parser.argument(1, of: call))
    }
}
