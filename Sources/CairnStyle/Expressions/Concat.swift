/// `["concat", a, b, ...]`: the arguments converted to strings and joined.
struct Concat: StyleExpression {
    let operands: [any StyleExpression]
    var type: ExpressionType { .string }
    var children: [any StyleExpression] { operands }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        if operands.count == 1 { return .string(try operands[0].evaluate(context).stringified) }
        var text = ""
        for operand in operands { text += try operand.evaluate(context).stringified }
        return .string(text)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(0...Int.max)
        return Concat(operands: try (1..<call.items.count).map { try parser.argument($0, of: call) })
    }
}
