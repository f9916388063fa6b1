/// `["at", index, array]`: an element of an array.
struct At: StyleExpression {
    let index: any StyleExpression
    let array: any StyleExpression
    let type: ExpressionType
    var children: [any StyleExpression] { [index, array] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .number(let position) = try index.evaluate(context),
              case .array(let items) = try array.evaluate(context) else {
            throw ExpressionEvaluationError("expected a number index and an array")
        }
        guard position >= 0, position.rounded() == position, position < Double(items.count) else {
            throw ExpressionEvaluationError("array index out of bounds")
        }
        return items[Int(position)]
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(2...2)
        let index = try parser.argument(1, of: call, expected: .number)
        let array = try parser.argument(2, of: call, expected: .array(call.outputExpectation ?? .value, nil))
        var type = ExpressionType.value
        if case .array(let item, _) = array.type { type = item }
        return At(index: index, array: array, type: type)
    }
}
