/// `["upcase", string]` and `["downcase", string]`.
struct CaseConversion: StyleExpression {
    let uppercase: Bool
    let operand: any StyleExpression
    var type: ExpressionType { .string }
    var children: [any StyleExpression] { [operand] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .string(let text) = try operand.evaluate(context) else {
            throw ExpressionEvaluationError("expected a string")
        }
        return .string(uppercase ? text.uppercased() : text.lowercased())
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return CaseConversion(uppercase: call.name == "upcase",
                              operand: try parser.argument(1, of: call, expected: .string))
    }
}
