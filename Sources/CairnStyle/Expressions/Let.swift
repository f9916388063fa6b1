/// `["let", name, value, ..., body]`: binds names that `["var", name]` reads in the body.
struct Let: StyleExpression {
    let bindings: [any StyleExpression]
    let body: any StyleExpression
    var type: ExpressionType { body.type }
    var children: [any StyleExpression] { bindings + [body] }

    // Each `var` evaluates its bound expression itself, so nothing is stored here at run time.
    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        try body.evaluate(context)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(3...Int.max)
        guard call.argumentCount % 2 == 1 else { throw call.issue("\"let\" expects an odd number of arguments") }
        var inner = parser
        var bindings: [any StyleExpression] = []
        for index in stride(from: 1, to: call.items.count - 1, by: 2) {
            guard case .string(let name) = call.items[index],
                  name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw StyleIssue(call.path(of: index), "expected a variable name (letters, digits, _), got \(call.items[index].abbreviated)")
            }
            let value = try parser.argument(index + 1, of: call)
            inner.scope[name] = value
            bindings.append(value)
        }
        let body = try inner.argument(call.items.count - 1, of: call, expected: call.expected)
        return Let(bindings: bindings, body: body)
    }
}
