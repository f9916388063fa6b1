import Foundation

/// `+`, `-`, `*`, `/`, `%`, `^`, `min`, `max` over numbers.
struct Arithmetic: StyleExpression {
    enum Operator: String, CaseIterable, Sendable {
        case plus = "+"
        case minus = "-"
        case times = "*"
        case divide = "/"
        case remainder = "%"
        case power = "^"
        case minimum = "min"
        case maximum = "max"

        var arity: ClosedRange<Int> {
            switch self {
            case .plus, .times: return 0...Int.max
            case .minus: return 1...2
            case .divide, .remainder, .power: return 2...2
            // No arguments: JavaScript's Math.min() is Infinity, Math.max() -Infinity.
            case .minimum, .maximum: return 0...Int.max
            }
        }
    }

    let op: Operator
    let operands: [any StyleExpression]
    var type: ExpressionType { .number }
    var children: [any StyleExpression] { operands }

    @inline(__always)
    private func number(_ index: Int, _ context: EvaluationContext) throws(ExpressionEvaluationError) -> Double {
        guard case .number(let n) = try operands[index].evaluate(context) else {
            throw ExpressionEvaluationError("expected a number")
        }
        return n
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        switch op {
        case .plus:
            var sum = 0.0
            for i in operands.indices { sum += try number(i, context) }
            return .number(sum)
        case .times:
            var product = 1.0
            for i in operands.indices { product *= try number(i, context) }
            return .number(product)
        case .minus:
            if operands.count == 1 { return .number(-(try number(0, context))) }
            return .number(try number(0, context) - number(1, context))
        case .divide:
            return .number(try number(0, context) / number(1, context))
        case .remainder:
            return .number(fmod(try number(0, context), try number(1, context)))
        case .power:
            return .number(pow(try number(0, context), try number(1, context)))
        case .minimum:
            guard !operands.isEmpty else { return .number(.infinity) }
            var result = try number(0, context)
            for i in operands.indices.dropFirst() { result = Swift.min(result, try number(i, context)) }
            return .number(result)
        case .maximum:
            guard !operands.isEmpty else { return .number(-.infinity) }
            var result = try number(0, context)
            for i in operands.indices.dropFirst() { result = Swift.max(result, try number(i, context)) }
            return .number(result)
        }
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        guard let op = Operator(rawValue: call.name) else { throw call.issue("unknown arithmetic operator") }
        try call.expectArguments(op.arity)
        let operands = try (1..<call.items.count).map { try parser.argument($0, of: call, expected: .number) }
        return Arithmetic(op: op, operands: operands)
    }
}
