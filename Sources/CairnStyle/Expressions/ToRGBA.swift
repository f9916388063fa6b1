/// `["to-rgba", color]`: `[r, g, b, a]`, channels 0–255 and alpha 0–1 (not premultiplied).
struct ToRGBA: StyleExpression {
    let color: any StyleExpression
    var type: ExpressionType { .array(.number, 4) }
    var children: [any StyleExpression] { [color] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .color(let c) = try color.evaluate(context) else { throw ExpressionEvaluationError("expected a color") }
        return .array([.number(c.red * 255), .number(c.green * 255), .number(c.blue * 255), .number(c.alpha)])
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return ToRGBA(color: try parser.argument(1, of: call, expected: .color))
    }
}
