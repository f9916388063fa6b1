/// `["typeof", value]`: the name of the value's type.
struct TypeOf: StyleExpression {
    let operand: any StyleExpression
    var type: ExpressionType { .string }
    var children: [any StyleExpression] { [operand] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        .string(try operand.evaluate(context).type.description)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return TypeOf(operand: try parser.argument(1, of: call))
    }
}
