/// `==`, `!=`, `<`, `<=`, `>`, `>=`. Equality is strict (values of different types are unequal,
/// integers equal the same doubles); ordering needs two numbers or two strings.
struct Comparison: StyleExpression {
    enum Operator: String, CaseIterable, Sendable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="

        var isOrdering: Bool { self != .equal && self != .notEqual }
    }

    let op: Operator
    let lhs: any StyleExpression
    let rhs: any StyleExpression
    /// A `collator` third argument: strings then compare through it.
    var collator: (any StyleExpression)?
    var type: ExpressionType { .boolean }
    var children: [any StyleExpression] { [lhs, rhs] + (collator.map { [$0] } ?? []) }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        let left = try lhs.evaluate(context)
        let right = try rhs.evaluate(context)
        if let collator {
            guard case .collator(let rules) = try collator.evaluate(context) else {
                throw ExpressionEvaluationError("expected a collator")
            }
            guard case .string(let a) = left, case .string(let b) = right else {
                // Equality of other values ignores the collator, as in MapLibre.
                guard !op.isOrdering else {
                    throw ExpressionEvaluationError("expected two strings to compare with a collator for \(op.rawValue)")
                }
                return .boolean(Comparison.strictlyEqual(left, right) == (op == .equal))
            }
            return .boolean(Comparison.compare(rules.compare(a, b), 0, op))
        }
        switch op {
        case .equal: return .boolean(Comparison.strictlyEqual(left, right))
        case .notEqual: return .boolean(!Comparison.strictlyEqual(left, right))
        default:
            let order: Bool
            switch (left, right) {
            case (.number(let a), .number(let b)): order = Comparison.compare(a, b, op)
            case (.string(let a), .string(let b)): order = Comparison.compare(a, b, op)
            default:
                throw ExpressionEvaluationError("expected arguments of \(op.rawValue) to be (string, string) or (number, number)")
            }
            return .boolean(order)
        }
    }

    @inline(__always)
    static func compare<T: Comparable>(_ a: T, _ b: T, _ op: Operator) -> Bool {
        switch op {
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        case .equal: return a == b
        case .notEqual: return a != b
        }
    }

    /// JavaScript `===` on expression values.
    static func strictlyEqual(_ a: ExpressionValue, _ b: ExpressionValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        guard let op = Operator(rawValue: call.name) else { throw call.issue("unknown comparison") }
        try call.expectArguments(2...3)
        let lhs = try parser.argument(1, of: call)
        let rhs = try parser.argument(2, of: call)
        let allowed: [ExpressionType] = op.isOrdering ? [.string, .number, .value] : [.string, .number, .boolean, .null, .value]
        for (index, side) in [(1, lhs), (2, rhs)] where !allowed.contains(side.type) {
            throw StyleIssue(call.path(of: index), "\"\(call.name)\" cannot compare values of type \(side.type)")
        }
        if lhs.type != rhs.type && lhs.type != .value && rhs.type != .value {
            throw call.issue("cannot compare types \(lhs.type) and \(rhs.type)")
        }
        var collator: (any StyleExpression)?
        if call.argumentCount == 3 {
            for (index, side) in [(1, lhs), (2, rhs)] where side.type != .string && side.type != .value {
                throw StyleIssue(call.path(of: index), "cannot use a collator to compare values of type \(side.type)")
            }
            collator = try parser.argument(3, of: call, expected: .collator)
        }
        return Comparison(op: op, lhs: lhs, rhs: rhs, collator: collator)
    }
}
