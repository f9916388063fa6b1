import CairnCore

/// `["to-color", a, b, ...]`: the first argument that is a colour, CSS colour text or an
/// `[r, g, b(, a)]` array. Also inserted wherever a colour is expected from a string or `get`.
struct ToColor: StyleExpression {
    let arguments: [any StyleExpression]
    var type: ExpressionType { .color }
    var children: [any StyleExpression] { arguments }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        for argument in arguments {
            let value = try argument.evaluate(context)
            if let color = ToColor.color(from: value) { return .color(color) }
        }
        throw ExpressionEvaluationError("could not parse a color")
    }

    static func color(from value: ExpressionValue) -> Color? {
        switch value {
        case .color(let color): return color
        case .string(let text): return CSSColorParser.parse(text)
        case .array(let items) where items.count == 3 || items.count == 4:
            var channels: [Double] = []
            for item in items {
                guard case .number(let n) = item else { return nil }
                channels.append(n)
            }
            return RGBColor.color(channels)
        default: return nil
        }
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...Int.max)
        return ToColor(arguments: try (1..<call.items.count).map { try parser.argument($0, of: call) })
    }
}
