/// `["get", key]` reads a feature attribute; `["get", key, object]` reads a member of an object.
struct Get: StyleExpression {
    private enum Source: Sendable {
        case feature(key: String)
        case featureDynamicKey(any StyleExpression)
        case object(key: any StyleExpression, object: any StyleExpression)
    }

    private let source: Source
    var type: ExpressionType { .value }

    init(key: String) {
        source = .feature(key: key)
    }

    var children: [any StyleExpression] {
        switch source {
        case .feature: return []
        case .featureDynamicKey(let key): return [key]
        case .object(let key, let object): return [key, object]
        }
    }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        switch source {
        case .feature(let key):
            dependencies.usesFeature = true
            dependencies.properties.insert(key)
        case .featureDynamicKey(let key):
            dependencies.usesFeature = true
            key.collectDependencies(into: &dependencies)
        case .object(let key, let object):
            key.collectDependencies(into: &dependencies)
            object.collectDependencies(into: &dependencies)
        }
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        switch source {
        case .feature(let key):
            if let structured = context.structuredProperties?[key] { return structured }
            guard let property = context.properties[key] else { return .null }
            return ExpressionValue(property)
        case .featureDynamicKey(let keyExpression):
            guard case .string(let key) = try keyExpression.evaluate(context) else {
                throw ExpressionEvaluationError("expected a string key")
            }
            if let structured = context.structuredProperties?[key] { return structured }
            guard let property = context.properties[key] else { return .null }
            return ExpressionValue(property)
        case .object(let keyExpression, let objectExpression):
            guard case .string(let key) = try keyExpression.evaluate(context) else {
                throw ExpressionEvaluationError("expected a string key")
            }
            guard case .object(let object) = try objectExpression.evaluate(context) else {
                throw ExpressionEvaluationError("expected an object")
            }
            return object[key] ?? .null
        }
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...2)
        let key = try parser.argument(1, of: call, expected: .string)
        if call.argumentCount == 2 {
            let object = try parser.argument(2, of: call, expected: .object)
            return Get(source: .object(key: key, object: object))
        }
        if let literal = key as? Literal, case .string(let name) = literal.value {
            return Get(key: name)
        }
        return Get(source: .featureDynamicKey(key))
    }

    private init(source: Source) {
        self.source = source
    }
}
