import Foundation

/// `["to-number", a, b, ...]`: the first argument convertible to a number (JavaScript `Number()`);
/// null converts to 0.
struct ToNumber: StyleExpression {
    let operands: [any StyleExpression]
    var type: ExpressionType { .number }
    var children: [any StyleExpression] { operands }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        for operand in operands {
            let value = try operand.evaluate(context)
            switch value {
            case .null: return .number(0)
            case .number: return value
            case .boolean(let b): return .number(b ? 1 : 0)
            case .string(let s):
                if let number = ToNumber.number(fromJavaScriptString: s) { return .number(number) }
            default: continue
            }
        }
        throw ExpressionEvaluationError("could not convert the value to a number")
    }

    static func number(fromJavaScriptString string: String) -> Double? {
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return 0 }
        if trimmed == "Infinity" || trimmed == "+Infinity" { return .infinity }
        if trimmed == "-Infinity" { return -.infinity }
        // Swift also reads "nan", "inf" and hexadecimal floats, which JavaScript does not.
        guard trimmed.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
        return Double(trimmed)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...Int.max)
        return ToNumber(operands: try (1..<call.items.count).map { try parser.argument($0, of: call) })
    }
}
