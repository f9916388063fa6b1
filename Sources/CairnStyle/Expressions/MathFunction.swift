import Foundation

/// One-argument maths (`abs`, `floor`, `ceil`, `round`, `sqrt`, `ln`, `log10`, `log2`, trigonometry)
/// and the constants `e`, `pi`, `ln2`.
struct MathFunction: StyleExpression {
    enum Function: String, CaseIterable, Sendable {
        case abs, floor, ceil, round, sqrt, ln, log10, log2, sin, cos, tan, asin, acos, atan
        case e, pi, ln2

        var isConstant: Bool { self == .e || self == .pi || self == .ln2 }

        func apply(_ x: Double) -> Double {
            switch self {
            case .abs: return Swift.abs(x)
            case .floor: return Foundation.floor(x)
            case .ceil: return Foundation.ceil(x)
            // Half away from zero, as MapLibre's `round`.
            case .round: return x.rounded(.toNearestOrAwayFromZero)
            case .sqrt: return Foundation.sqrt(x)
            case .ln: return Foundation.log(x)
            case .log10: return Foundation.log10(x)
            case .log2: return Foundation.log2(x)
            case .sin: return Foundation.sin(x)
            case .cos: return Foundation.cos(x)
            case .tan: return Foundation.tan(x)
            case .asin: return Foundation.asin(x)
            case .acos: return Foundation.acos(x)
            case .atan: return Foundation.atan(x)
            case .e: return M_E
            case .pi: return Double.pi
            case .ln2: return M_LN2
            }
        }
    }

    let function: Function
    let operand: (any StyleExpression)?
    var type: ExpressionType { .number }
    var children: [any StyleExpression] { operand.map { [$0] } ?? [] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard let operand else { return .number(function.apply(0)) }
        guard case .number(let x) = try operand.evaluate(context) else {
            throw ExpressionEvaluationError("expected a number")
        }
        return .number(function.apply(x))
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        guard let function = Function(rawValue: call.name) else { throw call.issue("unknown math function") }
        if function.isConstant {
            try call.expectArguments(0...0)
            return MathFunction(function: function, operand: nil)
        }
        try call.expectArguments(1...1)
        return MathFunction(function: function, operand: try parser.argument(1, of: call, expected: .number))
    }
}
