/// `["properties"]`: all attributes of the feature as an object.
struct FeatureProperties: StyleExpression {
    var type: ExpressionType { .object }
    var children: [any StyleExpression] { [] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesFeature = true
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        var members = context.properties.mapValues(ExpressionValue.init)
        if let structured = context.structuredProperties { members.merge(structured) { $1 } }
        return .object(members)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(0...0)
        return FeatureProperties()
    }
}
