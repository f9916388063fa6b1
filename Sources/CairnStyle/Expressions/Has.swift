/// `["has", key]`: whether the feature has the attribute; `["has", key, object]` for objects.
struct Has: StyleExpression {
    private let key: any StyleExpression
    private let object: (any StyleExpression)?
    private let constantKey: String?
    var type: ExpressionType { .boolean }

    var children: [any StyleExpression] { [key] + (object.map { [$0] } ?? []) }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        key.collectDependencies(into: &dependencies)
        if let object {
            object.collectDependencies(into: &dependencies)
        } else {
            dependencies.usesFeature = true
            if let constantKey { dependencies.properties.insert(constantKey) }
        }
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        let name: String
        if let constantKey {
            name = constantKey
        } else if case .string(let evaluated) = try key.evaluate(context) {
            name = evaluated
        } else {
            throw ExpressionEvaluationError("expected a string key")
        }
        if let object {
            guard case .object(let dictionary) = try object.evaluate(context) else {
                throw ExpressionEvaluationError("expected an object")
            }
            return .boolean(dictionary[name] != nil)
        }
        return .boolean(context.properties[name] != nil || context.structuredProperties?[name] != nil)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...2)
        let key = try parser.argument(1, of: call, expected: .string)
        let object = call.argumentCount == 2 ? try parser.argument(2, of: call, expected: .object) : nil
        var constantKey: String?
        if let literal = key as? Literal, case .string(let name) = literal.value { constantKey = name }
        return Has(key: key, object: object, constantKey: constantKey)
    }
}
