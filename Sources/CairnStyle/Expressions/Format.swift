/// `["format", text, {options}, text, {options}, ...]`. Cairn draws one style per label, so the
/// section options (font-scale, text-font, text-color) are dropped and the texts are joined.
enum Format {
    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...Int.max)
        var sections: [any StyleExpression] = []
        for index in 1..<call.items.count {
            if case .object = call.items[index] {
                guard index > 1 else { throw StyleIssue(call.path(of: index), "expected a text section before options") }
                continue
            }
            if case .array(let items) = call.items[index], items.first == .string("image") {
                throw StyleIssue(call.path(of: index), "image sections of \"format\" are not supported")
            }
            sections.append(try parser.argument(index, of: call))
        }
        return Concat(operands: sections)
    }
}
