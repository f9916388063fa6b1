import CairnCore

/// `["var", name]`: the value bound by an enclosing `let`.
struct Var: StyleExpression {
    let name: String
    let bound: any StyleExpression
    var type: ExpressionType { bound.type }
    var children: [any StyleExpression] { [bound] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        try bound.evaluate(context)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        guard case .string(let name) = call.items[1] else {
            throw StyleIssue(call.path(of: 1), "expected a variable name, got \(call.items[1].abbreviated)")
        }
        guard let bound = parser.scope[name] else {
            throw StyleIssue(call.path(of: 1), "unknown variable \(JSONValue.quote(name))")
        }
        return Var(name: name, bound: bound)
    }
}
