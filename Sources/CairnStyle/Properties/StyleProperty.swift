/// A paint or layout property, compiled: either a constant (evaluated in O(1) without allocating)
/// or an expression tree. Evaluation never fails: on a run-time type error it gives the
/// property's default, as MapLibre does.
public struct StyleProperty<T: Sendable>: Sendable {
    @usableFromInline
    enum Storage: Sendable {
        case constant(T)
        case expression(any StyleExpression, @Sendable (ExpressionValue) -> T?)
    }

    @usableFromInline let storage: Storage
    /// The value used when the expression fails at run time.
    public let defaultValue: T
    /// True when the value does not depend on the feature (attributes, geometry type, id).
    public let isFeatureConstant: Bool
    /// True when the value does not depend on the zoom.
    public let isZoomConstant: Bool
    /// Feature attribute keys the property reads.
    public let attributeKeys: Set<String>

    /// A constant property.
    public init(constant value: T) {
        storage = .constant(value)
        defaultValue = value
        isFeatureConstant = true
        isZoomConstant = true
        attributeKeys = []
    }

    init(expression: any StyleExpression, defaultValue: T, convert: @escaping @Sendable (ExpressionValue) -> T?) {
        let dependencies = expression.dependencies
        storage = .expression(expression, convert)
        self.defaultValue = defaultValue
        isFeatureConstant = !dependencies.usesFeature
        isZoomConstant = !dependencies.usesZoom
        attributeKeys = dependencies.properties
    }

    /// The value when the property is a constant.
    public var constantValue: T? {
        if case .constant(let value) = storage { return value }
        return nil
    }

    /// The value for a feature at a zoom.
    @inlinable
    public func evaluate(_ context: EvaluationContext) -> T {
        switch storage {
        case .constant(let value):
            return value
        case .expression(let expression, let convert):
            do {
                return convert(try expression.evaluate(context)) ?? defaultValue
            } catch {
                return defaultValue
            }
        }
    }

    /// The value at a zoom, for properties that do not depend on the feature.
    @inlinable
    public func evaluate(atZoom zoom: Double) -> T {
        if case .constant(let value) = storage { return value }
        return evaluate(EvaluationContext(zoom: zoom))
    }
}
