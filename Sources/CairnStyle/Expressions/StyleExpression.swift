/// A compiled expression node. Parsing turns the JSON into a tree of these small structs once;
/// evaluation then walks the tree without looking at JSON or operator names.
@usableFromInline
protocol StyleExpression: Sendable {
    /// The static type, checked while the style loads.
    var type: ExpressionType { get }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue

    /// Sub-expressions, for dependency analysis. Only used while loading.
    var children: [any StyleExpression] { get }

    /// Adds what this node reads itself (feature attributes, zoom) and recurses into children.
    func collectDependencies(into dependencies: inout ExpressionDependencies)
}

extension StyleExpression {
    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        for child in children { child.collectDependencies(into: &dependencies) }
    }

    var dependencies: ExpressionDependencies {
        var dependencies = ExpressionDependencies()
        collectDependencies(into: &dependencies)
        return dependencies
    }
}

/// What an expression reads from its evaluation context.
@usableFromInline
struct ExpressionDependencies {
    /// Attribute keys read by name.
    var properties: Set<String> = []
    var usesZoom = false
    /// Reads anything of the feature: attributes, geometry type or id.
    var usesFeature = false
    /// Reads the feature's shape (`within`, `distance`).
    var usesGeometry = false
    /// Reads state outside the feature and zoom (global state, available images, locale), so it is
    /// never folded into a constant while loading.
    var usesEnvironment = false

    var isConstant: Bool { !usesZoom && !usesFeature && !usesEnvironment }
}
