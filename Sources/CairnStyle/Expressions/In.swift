/// `["in", needle, haystack]`: whether an array contains the value or a string contains the
/// substring. (The legacy filter form `["in", key, v1, v2...]` is `LegacyFilter`.)
struct In: StyleExpression {
    let needle: any StyleExpression
    let haystack: any StyleExpression
    var type: ExpressionType { .boolean }
    var children: [any StyleExpression] { [needle, haystack] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        let value = try needle.evaluate(context)
        switch value {
        case .boolean, .string, .number, .null: break
        default: throw ExpressionEvaluationError("expected the needle of \"in\" to be a boolean, string, number or null")
        }
        switch try haystack.evaluate(context) {
        case .array(let items):
            return .boolean(items.contains { Comparison.strictlyEqual($0, value) })
        case .string(let text):
            let needleText = value.javaScriptText
            // An empty haystack contains nothing, not even "" (MapLibre tests the haystack's truthiness).
            return .boolean(!text.isEmpty && (needleText.isEmpty || text.contains(needleText)))
        case .null:
            return .boolean(false)
        default:
            throw ExpressionEvaluationError("expected the haystack of \"in\" to be an array or a string")
        }
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(2...2)
        let needle = try parser.argument(1, of: call)
        let haystack = try parser.argument(2, of: call)
        guard [.boolean, .string, .number, .null, .value].contains(needle.type) else {
            throw StyleIssue(call.path(of: 1), "expected boolean, string, number or null, got \(needle.type)")
        }
        guard haystack.type == .value || haystack.type == .string || haystack.type.isArray else {
            throw StyleIssue(call.path(of: 2), "expected array or string, got \(haystack.type)")
        }
        return In(needle: needle, haystack: haystack)
    }
}
