/// `["geometry-type"]`: "Point", "LineString" or "Polygon".
struct GeometryTypeExpression: StyleExpression {
    var type: ExpressionType { .string }
    var children: [any StyleExpression] { [] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesFeature = true
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard let kind = context.geometryType else { return .null }
        return .string(kind.rawValue)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(0...0)
        return GeometryTypeExpression()
    }
}
