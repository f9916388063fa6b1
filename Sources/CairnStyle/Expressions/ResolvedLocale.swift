/// `["resolved-locale", collator]`: the locale a collator uses.
struct ResolvedLocale: StyleExpression {
    let collator: any StyleExpression
    var type: ExpressionType { .string }
    var children: [any StyleExpression] { [collator] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .collator(let value) = try collator.evaluate(context) else { throw ExpressionEvaluationError("expected a collator") }
        return .string(value.resolvedLocale)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return ResolvedLocale(collator: try parser.argument(1, of: call, expected: .collator))
    }
}
