/// `["index-of", needle, haystack, fromIndex?]`: the first position of a value in an array or of a
/// substring in a string (counted in Unicode code points), or -1.
struct IndexOf: StyleExpression {
    let needle: any StyleExpression
    let haystack: any StyleExpression
    let fromIndex: (any StyleExpression)?
    var type: ExpressionType { .number }
    var children: [any StyleExpression] { [needle, haystack] + (fromIndex.map { [$0] } ?? []) }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        let value = try needle.evaluate(context)
        switch value {
        case .boolean, .string, .number, .null: break
        default: throw ExpressionEvaluationError("expected the first argument of \"index-of\" to be a boolean, string, number or null, got \(value.type)")
        }
        var start = 0.0
        if let fromIndex, case .number(let n) = try fromIndex.evaluate(context) { start = n }
        switch try haystack.evaluate(context) {
        case .array(let items):
            let first = max(0, Int(start < 0 ? max(0, Double(items.count) + start) : min(start, Double(items.count))))
            for index in first..<max(first, items.count) where Comparison.strictlyEqual(items[index], value) {
                return .number(Double(index))
            }
            return .number(-1)
        case .string(let text):
            // JavaScript searches UTF-16 units from `start`, then reports the position in code points.
            let units = Array(text.utf16)
            let target = Array(value.javaScriptText.utf16)
            let first = max(0, min(Int(start.isNaN ? 0 : start), units.count))
            guard target.count <= units.count else { return .number(-1) }
            for position in first...(units.count - target.count) where Array(units[position..<(position + target.count)]) == target {
                let prefix = String(decoding: units[0..<position], as: UTF16.self)
                return .number(Double(prefix.unicodeScalars.count))
            }
            return .number(-1)
        case let other:
            throw ExpressionEvaluationError("expected the second argument of \"index-of\" to be an array or a string, got \(other.type)")
        }
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(2...3)
        let needle = try parser.argument(1, of: call)
        let haystack = try parser.argument(2, of: call)
        guard [.boolean, .string, .number, .null, .value].contains(needle.type) else {
            throw StyleIssue(call.path(of: 1), "expected boolean, string, number or null, got \(needle.type)")
        }
        let fromIndex = call.argumentCount == 3 ? try parser.argument(3, of: call, expected: .number) : nil
        return IndexOf(needle: needle, haystack: haystack, fromIndex: fromIndex)
    }
}
