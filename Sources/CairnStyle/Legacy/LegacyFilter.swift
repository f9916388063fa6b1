import CairnCore

/// One test of a legacy (pre-expression) filter: `["==", key, value]`, `["<", key, value]`,
/// `["in", key, v...]`, `["has", key]` and their negations, where the key may be an attribute,
/// `$type` or `$id`. Values compare strictly: a missing attribute equals nothing.
struct LegacyFilter: StyleExpression {
    enum Key: Sendable {
        case attribute(String)
        case geometryType
        case id

        init(_ name: String) {
            switch name {
            case "$type": self = .geometryType
            case "$id": self = .id
            default: self = .attribute(name)
            }
        }

        @inline(__always)
        func value(in context: EvaluationContext) -> ExpressionValue? {
            switch self {
            case .attribute(let name): return context.properties[name].map(ExpressionValue.init)
            case .geometryType: return context.geometryType.map { .string($0.rawValue) }
            case .id: return context.featureID.map { .number(Double($0)) }
            }
        }
    }

    enum Test: Sendable {
        case equal(ExpressionValue)
        case ordering(Comparison.Operator, ExpressionValue)
        case oneOf(strings: Set<String>, numbers: Set<Double>, others: [ExpressionValue])
        case has
    }

    let key: Key
    let test: Test
    let negated: Bool
    var type: ExpressionType { .boolean }
    var children: [any StyleExpression] { [] }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesFeature = true
        if case .attribute(let name) = key { dependencies.properties.insert(name) }
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        .boolean(matches(context) != negated)
    }

    private func matches(_ context: EvaluationContext) -> Bool {
        let value = key.value(in: context)
        switch test {
        case .has:
            if case .geometryType = key { return true }
            return value != nil
        case .equal(let expected):
            guard let value else { return false }
            return Comparison.strictlyEqual(value, expected)
        case .ordering(let op, let bound):
            switch (value, bound) {
            case (.number(let a)?, .number(let b)): return Comparison.compare(a, b, op)
            case (.string(let a)?, .string(let b)): return Comparison.compare(a, b, op)
            default: return false
            }
        case .oneOf(let strings, let numbers, let others):
            switch value {
            case .string(let s)?: return strings.contains(s)
            case .number(let n)?: return numbers.contains(n)
            case let value?: return others.contains { Comparison.strictlyEqual($0, value) }
            case nil: return false
            }
        }
    }

    /// Converts a legacy filter (as decided by `Filter.isExpressionFilter`) at `path`.
    static func convert(_ json: JSONValue, at path: String) throws -> any StyleExpression {
        guard case .array(let items) = json else {
            throw StyleIssue(path, "expected a filter array, got \(json.abbreviated)")
        }
        guard let first = items.first else { return Literal(value: .boolean(true)) }
        guard case .string(let op) = first else {
            throw StyleIssue(path.jsonElement(0), "expected a filter operator, got \(first.abbreviated)")
        }
        if items.count == 1 && ["all", "any", "none"].contains(op) { return Literal(value: .boolean(op != "any")) }
        func children() throws -> [any StyleExpression] {
            try items.indices.dropFirst().map { try convert(items[$0], at: path.jsonElement($0)) }
        }
        func key() throws -> Key {
            guard items.count >= 2 else { throw StyleIssue(path, "\"\(op)\" filter needs a key") }
            guard case .string(let name) = items[1] else {
                throw StyleIssue(path.jsonElement(1), "expected a string key, got \(items[1].abbreviated)")
            }
            return Key(name)
        }
        func scalar(_ index: Int) throws -> ExpressionValue {
            switch items[index] {
            case .string, .number, .bool, .null: return ExpressionValue(json: items[index])
            default: throw StyleIssue(path.jsonElement(index), "expected string, number, boolean or null, got \(items[index].abbreviated)")
            }
        }
        switch op {
        case "all": return AllOf(operands: try children())
        case "any": return AnyOf(operands: try children())
        case "none": return Not(operand: AnyOf(operands: try children()))
        case "has", "!has":
            guard items.count == 2 else { throw StyleIssue(path, "\"\(op)\" filter expects 1 key, got \(items.count - 1) arguments") }
            return LegacyFilter(key: try key(), test: .has, negated: op == "!has")
        case "==", "!=":
            guard items.count == 3 else { throw StyleIssue(path, "\"\(op)\" filter expects a key and a value") }
            return LegacyFilter(key: try key(), test: .equal(try scalar(2)), negated: op == "!=")
        case "<", "<=", ">", ">=":
            guard items.count == 3 else { throw StyleIssue(path, "\"\(op)\" filter expects a key and a value") }
            return LegacyFilter(key: try key(), test: .ordering(Comparison.Operator(rawValue: op)!, try scalar(2)), negated: false)
        case "in", "!in":
            let filterKey = try key()
            var strings = Set<String>()
            var numbers = Set<Double>()
            var others: [ExpressionValue] = []
            for index in items.indices.dropFirst(2) {
                switch try scalar(index) {
                case .string(let s): strings.insert(s)
                case .number(let n): numbers.insert(n)
                case let other: others.append(other)
                }
            }
            return LegacyFilter(key: filterKey, test: .oneOf(strings: strings, numbers: numbers, others: others),
                                negated: op == "!in")
        default:
            throw StyleIssue(path.jsonElement(0), "unknown filter operator \(JSONValue.quote(op))")
        }
    }
}
