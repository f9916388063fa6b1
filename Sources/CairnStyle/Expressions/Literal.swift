/// `["literal", value]`, and every bare number, string, boolean or null in an expression.
struct Literal: StyleExpression {
    let value: ExpressionValue
    let type: ExpressionType

    init(value: ExpressionValue, type: ExpressionType? = nil) {
        self.value = value
        self.type = type ?? value.type
    }

    var children: [any StyleExpression] { [] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue { value }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return Literal(value: ExpressionValue(json: call.items[1]))
    }
}
