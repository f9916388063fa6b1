/// A legacy text-field string with "{attribute}" tokens, e.g. "{name}\n{ele} m". A missing or
/// null attribute gives "".
struct TokenString: StyleExpression {
    enum Part: Sendable {
        case text(String)
        case attribute(String)
    }

    let parts: [Part]
    var type: ExpressionType { .string }
    var children: [any StyleExpression] { [] }

    /// Nil when the string has no tokens.
    init?(_ string: String) {
        var parts: [Part] = []
        var text = ""
        var index = string.startIndex
        while index < string.endIndex {
            // A token is "{" then one or more characters other than braces then "}".
            if string[index] == "{",
               let close = string[string.index(after: index)...].firstIndex(where: { $0 == "{" || $0 == "}" }),
               string[close] == "}", close > string.index(after: index) {
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.attribute(String(string[string.index(after: index)..<close])))
                index = string.index(after: close)
            } else {
                text.append(string[index])
                index = string.index(after: index)
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        guard parts.contains(where: { if case .attribute = $0 { return true } else { return false } }) else { return nil }
        self.parts = parts
    }

    var attributeKeys: [String] {
        parts.compactMap { if case .attribute(let key) = $0 { return key } else { return nil } }
    }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        dependencies.usesFeature = true
        dependencies.properties.formUnion(attributeKeys)
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .attribute(let key):
                if let value = context.properties[key] { result += ExpressionValue(value).stringified }
            }
        }
        return .string(result)
    }
}
