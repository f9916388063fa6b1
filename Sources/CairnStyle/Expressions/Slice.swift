/// `["slice", input, begin, end?]`: part of an array, or of a string counted in Unicode code points;
/// negative indices count from the end, as JavaScript's `slice`.
struct Slice: StyleExpression {
    let input: any StyleExpression
    let begin: any StyleExpression
    let end: (any StyleExpression)?
    let type: ExpressionType
    var children: [any StyleExpression] { [input, begin] + (end.map { [$0] } ?? []) }

    /// JavaScript's `slice` bounds for a sequence of `count` elements.
    static func bounds(_ begin: Double, _ end: Double?, count: Int) -> Range<Int> {
        func clamp(_ index: Double) -> Int {
            if index.isNaN { return 0 }
            let resolved = index < 0 ? max(0, Double(count) + index.rounded(.towardZero)) : min(index.rounded(.towardZero), Double(count))
            return Int(resolved)
        }
        let lower = clamp(begin)
        let upper = end.map(clamp) ?? count
        return lower..<max(lower, upper)
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        let value = try input.evaluate(context)
        guard case .number(let first) = try begin.evaluate(context) else { throw ExpressionEvaluationError("expected a number") }
        var last: Double?
        if let end {
            guard case .number(let n) = try end.evaluate(context) else { throw ExpressionEvaluationError("expected a number") }
            last = n
        }
        switch value {
        case .string(let text):
            let scalars = Array(text.unicodeScalars)
            var result = String.UnicodeScalarView()
            result.append(contentsOf: scalars[Slice.bounds(first, last, count: scalars.count)])
            return .string(String(result))
        case .array(let items):
            return .array(Array(items[Slice.bounds(first, last, count: items.count)]))
        default:
            throw ExpressionEvaluationError("expected the first argument of \"slice\" to be an array or a string, got \(value.type)")
        }
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(2...3)
        let input = try parser.argument(1, of: call)
        let begin = try parser.argument(2, of: call, expected: .number)
        guard input.type == .string || input.type == .value || input.type.isArray else {
            throw StyleIssue(call.path(of: 1), "expected array or string, got \(input.type)")
        }
        let end = call.argumentCount == 3 ? try parser.argument(3, of: call, expected: .number) : nil
        return Slice(input: input, begin: begin, end: end, type: input.type.withoutLength)
    }
}
