import CairnCore

/// `["match", input, label(s), output, ..., fallback]`: the output of the first label equal to
/// the input. An input of another type than the labels gives the fallback.
struct Match: StyleExpression {
    let input: any StyleExpression
    let stringCases: [String: Int]
    let numberCases: [Double: Int]
    let booleanCases: [Bool: Int]
    let outputs: [any StyleExpression]
    let fallback: any StyleExpression
    let type: ExpressionType

    var children: [any StyleExpression] { [input] + outputs + [fallback] }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        let index: Int?
        switch try input.evaluate(context) {
        case .string(let s): index = stringCases.isEmpty ? nil : stringCases[s]
        case .number(let n): index = numberCases.isEmpty ? nil : numberCases[n]
        case .boolean(let b): index = booleanCases[b]
        default: index = nil
        }
        if let index { return try outputs[index].evaluate(context) }
        return try fallback.evaluate(context)
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(4...Int.max)
        guard call.argumentCount % 2 == 0 else { throw call.issue("\"match\" expects an even number of arguments") }
        var labelType: ExpressionType?
        var strings: [String: Int] = [:]
        var numbers: [Double: Int] = [:]
        var outputIndices: [Int] = []
        for (caseIndex, labelIndex) in stride(from: 2, to: call.items.count - 1, by: 2).enumerated() {
            let labelPath = call.path(of: labelIndex)
            var labels: [(JSONValue, String)] = [(call.items[labelIndex], labelPath)]
            if case .array(let group) = call.items[labelIndex] {
                guard !group.isEmpty else { throw StyleIssue(labelPath, "expected at least one branch label") }
                labels = group.enumerated().map { ($0.element, labelPath.jsonElement($0.offset)) }
            }
            for (label, path) in labels {
                let type: ExpressionType
                switch label {
                case .string(let s):
                    type = .string
                    guard strings.updateValue(caseIndex, forKey: s) == nil else {
                        throw StyleIssue(path, "branch labels must be unique")
                    }
                case .number(let n):
                    type = .number
                    guard n.rounded() == n, abs(n) <= 9_007_199_254_740_991 else {
                        throw StyleIssue(path, "numeric branch labels must be integer values")
                    }
                    guard numbers.updateValue(caseIndex, forKey: n) == nil else {
                        throw StyleIssue(path, "branch labels must be unique")
                    }
                default:
                    throw StyleIssue(path, "expected a string or number branch label, got \(label.abbreviated)")
                }
                if let labelType, labelType != type {
                    throw StyleIssue(path, "expected \(labelType), got \(type)")
                }
                labelType = type
            }
            outputIndices.append(labelIndex + 1)
        }
        let input = try parser.argument(1, of: call)
        if let labelType, input.type != .value, input.type != labelType {
            throw StyleIssue(call.path(of: 1), "expected \(labelType), got \(input.type)")
        }
        let (outputs, type) = try parser.outputs(outputIndices + [call.items.count - 1], of: call)
        return Match(input: input, stringCases: strings, numberCases: numbers, booleanCases: [:],
                     outputs: Array(outputs.dropLast()), fallback: outputs.last!, type: type)
    }
}
