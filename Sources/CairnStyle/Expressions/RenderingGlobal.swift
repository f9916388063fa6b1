/// `heatmap-density`, `elevation`, `line-progress` and `accumulated`: values MapLibre's renderer
/// supplies while drawing heatmaps, terrain, gradients and clusters (`EvaluationContext.renderingGlobals`).
/// Cairn draws none of these, so unset they read 0 (`accumulated`: null), as in MapLibre.
struct RenderingGlobal: StyleExpression {
    static let names = ["heatmap-density", "elevation", "line-progress", "accumulated"]

    let name: String
    var type: ExpressionType { name == "accumulated" ? .value : .number }
    var children: [any StyleExpression] { [] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesEnvironment = true
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        if let value = context.renderingGlobals?[name] { return value }
        return name == "accumulated" ? .null : .number(0)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(0...0)
        return RenderingGlobal(name: call.name)
    }
}
