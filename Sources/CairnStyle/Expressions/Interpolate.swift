import Foundation
import CairnCore

/// `["interpolate", ["linear"] | ["exponential", base] | ["cubic-bezier", x1, y1, x2, y2], input,
/// stop, output, ...]` over numbers, colours (RGBA channels) and arrays of numbers.
struct Interpolate: StyleExpression {
    enum Interpolation: Sendable {
        case linear
        case exponential(base: Double)
        case cubicBezier(UnitBezier)

        func factor(_ x: Double, lower: Double, upper: Double) -> Double {
            let difference = upper - lower
            guard difference != 0 else { return 0 }
            let progress = x - lower
            switch self {
            case .linear:
                return progress / difference
            case .exponential(let base):
                if base == 1 { return progress / difference }
                return (pow(base, progress) - 1) / (pow(base, difference) - 1)
            case .cubicBezier(let curve):
                return curve.solve(progress / difference)
            }
        }
    }

    /// Where colours are interpolated: `interpolate` in sRGB, `interpolate-hcl` and `interpolate-lab`
    /// in those spaces.
    enum ColorSpace: Sendable {
        case rgb, hcl, lab
    }

    let interpolation: Interpolation
    var colorSpace: ColorSpace = .rgb
    let input: any StyleExpression
    let stops: [Double]
    let outputs: [any StyleExpression]
    let type: ExpressionType

    var children: [any StyleExpression] { [input] + outputs }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .number(let x) = try input.evaluate(context) else {
            throw ExpressionEvaluationError("expected a number input")
        }
        let last = stops.count - 1
        if stops.count == 1 || x <= stops[0] { return try outputs[0].evaluate(context) }
        if x >= stops[last] { return try outputs[last].evaluate(context) }
        let index = Step.stopIndex(stops, x)
        let t = interpolation.factor(x, lower: stops[index], upper: stops[index + 1])
        let lower = try outputs[index].evaluate(context)
        let upper = try outputs[index + 1].evaluate(context)
        switch (colorSpace, lower, upper) {
        case (.hcl, .color(let a), .color(let b)): return .color(ColorSpaces.interpolateHCL(a, b, t))
        case (.lab, .color(let a), .color(let b)): return .color(ColorSpaces.interpolateLab(a, b, t))
        default: return try Interpolate.interpolate(lower, upper, t)
        }
    }

    static func interpolate(_ a: ExpressionValue, _ b: ExpressionValue, _ t: Double) throws(ExpressionEvaluationError) -> ExpressionValue {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(x + t * (y - x))
        case (.color(let x), .color(let y)):
            return .color(Color(red: x.red + t * (y.red - x.red), green: x.green + t * (y.green - x.green),
                                blue: x.blue + t * (y.blue - x.blue), alpha: x.alpha + t * (y.alpha - x.alpha)))
        case (.array(let xs), .array(let ys)) where xs.count == ys.count:
            var result: [ExpressionValue] = []
            result.reserveCapacity(xs.count)
            for i in xs.indices { result.append(try interpolate(xs[i], ys[i], t)) }
            return .array(result)
        default:
            throw ExpressionEvaluationError("cannot interpolate between these values")
        }
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(4...Int.max)
        guard call.argumentCount % 2 == 0 else { throw call.issue("\"interpolate\" expects an even number of arguments") }
        let interpolation = try parseInterpolation(call.items[1], at: call.path(of: 1))
        let input = try parser.argument(2, of: call, expected: .number)
        let stops = try Step.parseStops(call, indices: Array(stride(from: 3, to: call.items.count, by: 2)))
        let colorSpace: ColorSpace = call.name == "interpolate-hcl" ? .hcl : call.name == "interpolate-lab" ? .lab : .rgb
        // interpolate-hcl and interpolate-lab always produce colours.
        let outputCall = colorSpace == .rgb ? call
            : ExpressionCall(name: call.name, items: call.items, path: call.path, expected: .color)
        var (outputs, type) = try parser.outputs(Array(stride(from: 4, to: call.items.count, by: 2)), of: outputCall)
        // Outputs all of one fixed-length array type keep the length (an interpolated offset is array<number, 2>).
        if call.outputExpectation == nil, let first = outputs.first?.type, outputs.allSatisfy({ $0.type == first }) { type = first }
        switch type {
        case .color: break
        case .number where colorSpace == .rgb: break
        case .array(.number, let count?) where colorSpace == .rgb && count > 0: break
        default: throw call.issue("type \(type) is not interpolatable\(colorSpace == .rgb ? "" : " in \(call.name)")")
        }
        return Interpolate(interpolation: interpolation, colorSpace: colorSpace, input: input, stops: stops, outputs: outputs, type: type)
    }

    static func parseInterpolation(_ json: JSONValue, at path: String) throws -> Interpolation {
        guard case .array(let items) = json, case .string(let name)? = items.first else {
            throw StyleIssue(path, "expected an interpolation type, got \(json.abbreviated)")
        }
        // Extra numbers after the ones a type needs are ignored, as MapLibre does.
        func numbers(_ count: Int) throws -> [Double] {
            guard items.count >= count + 1 else {
                throw StyleIssue(path, "\"\(name)\" interpolation expects \(count) numbers")
            }
            return try items.dropFirst().prefix(count).enumerated().map { offset, item in
                guard case .number(let n) = item else {
                    throw StyleIssue(path.jsonElement(offset + 1), "expected number, got \(item.abbreviated)")
                }
                return n
            }
        }
        switch name {
        case "linear":
            _ = try numbers(0)
            return .linear
        case "exponential":
            return .exponential(base: try numbers(1)[0])
        case "cubic-bezier":
            guard items.count == 5 else { throw StyleIssue(path, "\"cubic-bezier\" interpolation expects 4 numbers") }
            let p = try numbers(4)
            guard p.allSatisfy({ (0...1).contains($0) }) else {
                throw StyleIssue(path, "cubic-bezier control points must be between 0 and 1")
            }
            return .cubicBezier(UnitBezier(x1: p[0], y1: p[1], x2: p[2], y2: p[3]))
        default:
            throw StyleIssue(path.jsonElement(0), "unknown interpolation type \(JSONValue.quote(name))")
        }
    }
}

/// A cubic Bézier easing curve from (0, 0) to (1, 1), as in CSS and @mapbox/unitbezier.
struct UnitBezier: Sendable {
    private let cx, bx, ax, cy, by, ay: Double

    init(x1: Double, y1: Double, x2: Double, y2: Double) {
        cx = 3 * x1
        bx = 3 * (x2 - x1) - cx
        ax = 1 - cx - bx
        cy = 3 * y1
        by = 3 * (y2 - y1) - cy
        ay = 1 - cy - by
    }

    private func sampleX(_ t: Double) -> Double { ((ax * t + bx) * t + cx) * t }
    private func sampleY(_ t: Double) -> Double { ((ay * t + by) * t + cy) * t }
    private func sampleDerivativeX(_ t: Double) -> Double { (3 * ax * t + 2 * bx) * t + cx }

    /// The curve's y at x.
    func solve(_ x: Double, epsilon: Double = 1e-6) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        var t = x
        for _ in 0..<8 {
            let error = sampleX(t) - x
            if abs(error) < epsilon { return sampleY(t) }
            let derivative = sampleDerivativeX(t)
            if abs(derivative) < 1e-6 { break }
            t -= error / derivative
        }
        var low = 0.0
        var high = 1.0
        t = x
        while low < high {
            let sample = sampleX(t)
            if abs(sample - x) < epsilon { break }
            if x > sample { low = t } else { high = t }
            t = (high - low) * 0.5 + low
            if high - low < 1e-12 { break }
        }
        return sampleY(t)
    }
}
