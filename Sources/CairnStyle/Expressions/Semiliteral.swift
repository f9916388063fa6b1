/// `["semiliteral", [a, b, ...]]`: an array whose items are expressions (or plain values), each
/// evaluated; a string or number alone is taken literally.
struct Semiliteral: StyleExpression {
    let items: [any StyleExpression]
    let type: ExpressionType
    var children: [any StyleExpression] { items }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        var values: [ExpressionValue] = []
        values.reserveCapacity(items.count)
        for item in items { values.append(try item.evaluate(context)) }
        return .array(values)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        guard call.argumentCount == 1 else {
            throw call.issue("\"semiliteral\" expects exactly one argument, got \(call.argumentCount)")
        }
        guard case .array(let elements) = call.items[1] else { return Literal(value: ExpressionValue(json: call.items[1])) }
        let path = call.path(of: 1)
        var items: [any StyleExpression] = []
        for (index, element) in elements.enumerated() {
            if case .array(let inner) = element, case .string(let name)? = inner.first, ExpressionParser.isOperator(name) {
                items.append(try parser.parse(element, at: path.jsonElement(index)))
            } else {
                items.append(Literal(value: ExpressionValue(json: element)))
            }
        }
        var itemType: ExpressionType = .value
        if let first = items.first?.type, items.allSatisfy({ $0.type == first }) { itemType = first }
        return Semiliteral(items: items, type: .array(itemType, items.count))
    }
}
