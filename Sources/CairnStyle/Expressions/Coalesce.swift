/// `["coalesce", a, b, ...]`: the first argument that is not null.
struct Coalesce: StyleExpression {
    let operands: [any StyleExpression]
    let type: ExpressionType
    var children: [any StyleExpression] { operands }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        // Images the style lacks are skipped too; if none is available, the first one named is kept.
        var firstImage: ExpressionValue?
        for operand in operands {
            let value = try operand.evaluate(context)
            if case .image(let image) = value, !image.available {
                if firstImage == nil { firstImage = value }
                continue
            }
            if !value.isNull { return value }
        }
        return firstImage ?? .null
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...Int.max)
        var outputType = call.outputExpectation
        var operands: [any StyleExpression] = []
        for index in 1..<call.items.count {
            // Not annotated: an assertion on a null argument would fail before coalesce could skip it.
            let operand = try parser.argument(index, of: call, expected: outputType, annotate: false)
            if outputType == nil { outputType = operand.type.withoutLength }
            operands.append(operand)
        }
        let type = outputType ?? .value
        let needsAnnotation = call.outputExpectation != nil && operands.contains { !type.accepts($0.type) }
        return Coalesce(operands: operands, type: needsAnnotation ? .value : type)
    }
}
