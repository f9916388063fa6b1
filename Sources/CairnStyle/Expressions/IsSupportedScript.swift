/// `["is-supported-script", text]`: whether the renderer can shape the text's script. Cairn shapes
/// text with Pango (complex scripts included), so always true.
struct IsSupportedScript: StyleExpression {
    let text: any StyleExpression
    var type: ExpressionType { .boolean }
    var children: [any StyleExpression] { [text] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesEnvironment = true
        text.collectDependencies(into: &dependencies)
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        _ = try text.evaluate(context)
        return .boolean(true)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return IsSupportedScript(text: try parser.argument(1, of: call, expected: .string))
    }
}
