/// The `default` of a legacy property function: used when the input is missing, of the wrong
/// type, or matches no stop.
struct LegacyDefault: StyleExpression {
    let inner: any StyleExpression
    let fallback: ExpressionValue
    var type: ExpressionType { inner.type }
    var children: [any StyleExpression] { [inner] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        do {
            let value = try inner.evaluate(context)
            return value.isNull ? fallback : value
        } catch {
            return fallback
        }
    }
}
