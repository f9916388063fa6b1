/// `["split", string, delimiter]`: the parts of a string between occurrences of the delimiter
/// (an empty delimiter splits into UTF-16 units, as JavaScript's `split("")`).
struct Split: StyleExpression {
    let input: any StyleExpression
    let delimiter: any StyleExpression
    var type: ExpressionType { .array(.string, nil) }
    var children: [any StyleExpression] { [input, delimiter] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .string(let text) = try input.evaluate(context),
              case .string(let separator) = try delimiter.evaluate(context) else {
            throw ExpressionEvaluationError("expected two strings")
        }
        if separator.isEmpty {
            return .array(text.utf16.map { .string(String(decoding: [$0], as: UTF16.self)) })
        }
        return .array(text.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) })
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(2...2)
        return Split(input: try parser.argument(1, of: call, expected: .string),
                     delimiter: try parser.argument(2, of: call, expected: .string))
    }
}
