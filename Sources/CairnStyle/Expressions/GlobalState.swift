/// `["global-state", key]`: a value of the map's global state. A server has no client state, so it
/// is null unless the caller sets `EvaluationContext.globalState`.
struct GlobalState: StyleExpression {
    let key: String
    var type: ExpressionType { .value }
    var children: [any StyleExpression] { [] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesEnvironment = true
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        context.globalState?[key] ?? .null
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        guard case .string(let key) = call.items[1] else {
            throw StyleIssue(call.path(of: 1), "expected the global state property name as a string, got \(call.items[1].abbreviated)")
        }
        return GlobalState(key: key)
    }
}
