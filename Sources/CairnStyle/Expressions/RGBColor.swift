import CairnCore

/// `["rgb", r, g, b]` and `["rgba", r, g, b, a]`: channels 0...255, alpha 0...1.
struct RGBColor: StyleExpression {
    let channels: [any StyleExpression]
    var type: ExpressionType { .color }
    var children: [any StyleExpression] { channels }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        var values: [Double] = []
        values.reserveCapacity(4)
        for channel in channels {
            guard case .number(let n) = try channel.evaluate(context) else {
                throw ExpressionEvaluationError("expected a number")
            }
            values.append(n)
        }
        guard let color = RGBColor.color(values) else {
            throw ExpressionEvaluationError("invalid rgba value: r, g and b must be between 0 and 255, a between 0 and 1")
        }
        return .color(color)
    }

    /// A colour from 0...255 channels and an optional 0...1 alpha, or nil when out of range.
    static func color(_ values: [Double]) -> Color? {
        guard values.count == 3 || values.count == 4 else { return nil }
        for v in values.prefix(3) where !(0...255).contains(v) { return nil }
        let alpha = values.count == 4 ? values[3] : 1
        guard (0...1).contains(alpha) else { return nil }
        return Color(red: values[0] / 255, green: values[1] / 255, blue: values[2] / 255, alpha: alpha)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        let count = call.name == "rgb" ? 3 : 4
        try call.expectArguments(count...count)
        return RGBColor(channels: try (1...count).map { try parser.argument($0, of: call, expected: .number) })
    }
}
