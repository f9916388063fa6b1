/// `["error", message]`: fails evaluation with the message (the property falls back to its default).
struct ErrorExpression: StyleExpression {
    let message: any StyleExpression
    let type: ExpressionType
    var children: [any StyleExpression] { [message] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        // Never folded: the error belongs to evaluation, not to loading.
        dependencies.usesEnvironment = true
        message.collectDependencies(into: &dependencies)
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        throw ExpressionEvaluationError(try message.evaluate(context).stringified)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return ErrorExpression(message: try parser.argument(1, of: call, expected: .string), type: call.expected ?? .value)
    }
}
