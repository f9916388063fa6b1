/// The `default` of a legacy property function: used when the input is missing, of the wrong
/// type, or matches no stop.
struct LegacyDefault: StyleExpression {
    let inner: any StyleExpression
    let fallback: ExpressionValue
    /// Whether the property takes a value; others give the fallback too (an identity function's
    /// attribute outside an enum's values).
    var accepts: (@Sendable (ExpressionValue) -> Bool)?
    var type: ExpressionType { inner.type }
    var children: [any StyleExpression] { [inner] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        do {
            let value = try inner.evaluate(context)
            if value.isNull { return fallback }
            if let accepts, !accepts(value) { return fallback }
            return value
        } catch {
            return fallback
        }
    }
}
