import CairnCore

/// A layer filter, compiled from either the legacy filter syntax or an expression (decided as
/// MapLibre's `isExpressionFilter` does). A run-time error makes the filter reject the feature.
public struct Filter: Sendable {
    let expression: any StyleExpression

    /// Feature attribute keys the filter reads.
    public let attributeKeys: Set<String>
    /// True when the result does not depend on the feature.
    public let isFeatureConstant: Bool

    init(expression: any StyleExpression) {
        self.expression = expression
        let dependencies = expression.dependencies
        attributeKeys = dependencies.properties
        isFeatureConstant = !dependencies.usesFeature
    }

    /// Compiles the filter JSON at `path`.
    static func parse(_ json: JSONValue, at path: String) throws -> Filter {
        if isExpressionFilter(json) {
            return Filter(expression: try ExpressionParser().parse(json, at: path, expected: .boolean))
        }
        return Filter(expression: try LegacyFilter.convert(json, at: path))
    }

    /// Whether the feature passes.
    @inlinable
    public func matches(_ context: EvaluationContext) -> Bool {
        do {
            if case .boolean(true) = try evaluate(context) { return true }
            return false
        } catch {
            return false
        }
    }

    @usableFromInline
    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        try expression.evaluate(context)
    }

    /// MapLibre's rule for telling expression filters from legacy ones.
    static func isExpressionFilter(_ json: JSONValue) -> Bool {
        if case .bool = json { return true }
        guard case .array(let items) = json, case .string(let op)? = items.first else {
            if case .array(let items) = json, !items.isEmpty { return true }
            return false
        }
        func isArray(_ index: Int) -> Bool {
            guard index < items.count, case .array = items[index] else { return false }
            return true
        }
        switch op {
        case "has":
            return items.count >= 2 && items[1] != .string("$id") && items[1] != .string("$type")
        case "in":
            guard items.count >= 3 else { return false }
            if case .string = items[1] { return isArray(2) }
            return true
        case "!in", "!has", "none":
            return false
        case "==", "!=", ">", ">=", "<", "<=":
            return items.count != 3 || isArray(1) || isArray(2)
        case "any", "all":
            for item in items.dropFirst() {
                if case .bool = item { continue }
                if !isExpressionFilter(item) { return false }
            }
            return true
        default:
            return true
        }
    }
}
