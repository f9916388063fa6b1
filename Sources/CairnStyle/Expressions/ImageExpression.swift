/// A sprite image named by `["image", name]` (or a string where an image is expected), and whether
/// the style's sprite has it.
public struct ResolvedImage: Sendable, Equatable {
    public var name: String
    public var available: Bool
}

/// `["image", name]`: a reference to a sprite image; null for an empty name. Available when the
/// context's `availableImages` has it, or when the caller gives no list.
struct ImageExpression: StyleExpression {
    let name: any StyleExpression
    var type: ExpressionType { .resolvedImage }
    var children: [any StyleExpression] { [name] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        // Not folded while loading: availability depends on the sprite at evaluation time.
        dependencies.usesEnvironment = true
        name.collectDependencies(into: &dependencies)
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        let value = try name.evaluate(context)
        guard case .string(let text) = value else {
            if value.isNull { return .null }
            throw ExpressionEvaluationError("expected an image name, got \(value.type)")
        }
        guard !text.isEmpty else { return .null }
        return .image(ResolvedImage(name: text, available: context.availableImages?.contains(text) ?? true))
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        return ImageExpression(name: try parser.argument(1, of: call, expected: .string))
    }
}
