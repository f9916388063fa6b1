/// `["case", condition, output, ..., fallback]`: the output of the first true condition.
struct Case: StyleExpression {
    let branches: [(condition: any StyleExpression, output: any StyleExpression)]
    let fallback: any StyleExpression
    let type: ExpressionType

    var children: [any StyleExpression] { branches.flatMap { [$0.condition, $0.output] } + [fallback] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        for branch in branches {
            if case .boolean(true) = try branch.condition.evaluate(context) {
                return try branch.output.evaluate(context)
            }
        }
        return try fallback.evaluate(context)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(3...Int.max)
        guard call.argumentCount % 2 == 1 else { throw call.issue("\"case\" expects an odd number of arguments") }
        let conditions = try stride(from: 1, to: call.items.count - 1, by: 2).map {
            try parser.argument($0, of: call, expected: .boolean)
        }
        let outputIndices = Array(stride(from: 2, to: call.items.count - 1, by: 2)) + [call.items.count - 1]
        let (outputs, type) = try parser.outputs(outputIndices, of: call)
        return Case(branches: Array(zip(conditions, outputs.dropLast())).map { (condition: $0.0, output: $0.1) },
                    fallback: outputs.last!, type: type)
    }
}
