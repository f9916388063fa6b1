/// `["id"]`: the feature id, or null.
struct FeatureID: StyleExpression {
    var type: ExpressionType { .value }
    var children: [any StyleExpression] { [] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesFeature = true
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard let id = context.featureID else { return .null }
        return .number(Double(id))
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(0...0)
        return FeatureID()
    }
}
