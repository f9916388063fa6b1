/// `["number", ...]`, `["string", ...]`, `["boolean", ...]`, `["object", ...]`, `["array", ...]`:
/// the first argument of the asserted type, else a run-time error. Also inserted by the parser
/// wherever a concrete type is expected from a `value` (as from `get`).
struct Assertion: StyleExpression {
    static let names = ["number", "string", "boolean", "object", "array"]

    let type: ExpressionType
    let arguments: [any StyleExpression]
    var children: [any StyleExpression] { arguments }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        for argument in arguments {
            let value = try argument.evaluate(context)
            if type.matches(value) { return value }
        }
        throw ExpressionEvaluationError("value is not of the asserted type")
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...Int.max)
        var type: ExpressionType
        var firstValue = 1
        switch call.name {
        case "number": type = .number
        case "string": type = .string
        case "boolean": type = .boolean
        case "object": type = .object
        default:
            type = .array(.value, nil)
            if call.argumentCount >= 2 {
                guard case .string(let itemName) = call.items[1],
                      let item = ["string": ExpressionType.string, "number": .number, "boolean": .boolean][itemName] else {
                    throw StyleIssue(call.path(of: 1), "expected one of string, number, boolean, got \(call.items[1].abbreviated)")
                }
                // ["array", item, value], or ["array", item, length (or null), value, fallback...].
                var count: Int?
                firstValue = 2
                if call.argumentCount >= 3 {
                    switch call.items[2] {
                    case .null: break
                    case .number(let n) where n >= 0 && n.rounded() == n: count = Int(n)
                    default:
                        throw StyleIssue(call.path(of: 2), "expected a non-negative integer length, got \(call.items[2].abbreviated)")
                    }
                    firstValue = 3
                }
                type = .array(item, count)
            }
        }
        let arguments = try (firstValue..<call.items.count).map { try parser.argument($0, of: call) }
        return Assertion(type: type, arguments: arguments)
    }
}
