/// `["step", input, output0, stop1, output1, ...]`: the output of the last stop not above the input.
struct Step: StyleExpression {
    let input: any StyleExpression
    /// The stop of each output; the first is minus infinity.
    let stops: [Double]
    let outputs: [any StyleExpression]
    let type: ExpressionType

    var children: [any StyleExpression] { [input] + outputs }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .number(let x) = try input.evaluate(context) else {
            throw ExpressionEvaluationError("expected a number input")
        }
        if stops.count == 1 || x < stops[1] { return try outputs[0].evaluate(context) }
        let last = stops.count - 1
        if x >= stops[last] { return try outputs[last].evaluate(context) }
        return try outputs[Step.stopIndex(stops, x)].evaluate(context)
    }

    /// The index of the last stop `<= x`, for `stops[0] <= x < stops.last`.
    @inline(__always)
    static func stopIndex(_ stops: [Double], _ x: Double) -> Int {
        var low = 0
        var high = stops.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if stops[middle] <= x { low = middle } else { high = middle }
        }
        return low
    }

    /// Reads the literal, strictly ascending stop inputs at `indices` of `call`.
    static func parseStops(_ call: ExpressionCall, indices: [Int]) throws -> [Double] {
        var stops: [Double] = []
        for index in indices {
            guard case .number(let stop) = call.items[index] else {
                throw StyleIssue(call.path(of: index),
                                 "stop inputs of \"\(call.name)\" must be literal numbers, got \(call.items[index].abbreviated)")
            }
            if let previous = stops.last, stop <= previous {
                throw StyleIssue(call.path(of: index), "stop inputs of \"\(call.name)\" must be in strictly ascending order")
            }
            stops.append(stop)
        }
        return stops
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(4...Int.max)
        guard call.argumentCount % 2 == 0 else { throw call.issue("\"step\" expects an even number of arguments") }
        let input = try parser.argument(1, of: call, expected: .number)
        let stops = try parseStops(call, indices: Array(stride(from: 3, to: call.items.count, by: 2)))
        let outputIndices = [2] + Array(stride(from: 4, to: call.items.count, by: 2))
        let (outputs, type) = try parser.outputs(outputIndices, of: call)
        return Step(input: input, stops: [-.infinity] + stops, outputs: outputs, type: type)
    }
}
