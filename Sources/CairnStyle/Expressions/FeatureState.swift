/// `["feature-state", key]`: a value of the feature's client-side state; null on the server unless
/// the caller sets `EvaluationContext.featureState`.
struct FeatureState: StyleExpression {
    let key: any StyleExpression
    var type: ExpressionType { .value }
    var children: [any StyleExpression] { [key] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesFeature = true
        key.collectDependencies(into: &dependencies)
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .string(let name) = try key.evaluate(context) else { throw ExpressionEvaluationError("expected a string key") }
        return context.featureState?[name] ?? .null
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return FeatureState(key: try parser.argument(1, of: call, expected: .string))
    }
}
