/// `["zoom"]`: the zoom level being rendered.
struct Zoom: StyleExpression {
    var type: ExpressionType { .number }
    var children: [any StyleExpression] { [] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesZoom = true
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        .number(context.zoom)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(0...0)
        return Zoom()
    }
}
