import CairnCore

/// Text made of sections, each with optional scale, font stack, colour and vertical alignment, or
/// an inline image (the value of `format`).
public struct FormattedText: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        public var text: String
        public var image: ResolvedImage?
        public var scale: Double?
        public var fontStack: [String]?
        public var textColor: Color?
        public var verticalAlign: String?
    }

    public var sections: [Section]

    /// The sections' text run together: what Cairn draws (one style per label) and what `to-string` gives.
    public var plainText: String { sections.map(\.text).joined() }
}

/// `["format", content, {options}, content, {options}, ...]`: formatted text. Contents are strings
/// (other values are converted) or images; options are `font-scale`, `text-font`, `text-color` and
/// `vertical-align`. Cairn's labels draw the sections' text in the layer's style.
struct Format: StyleExpression {
    struct Section: Sendable {
        var content: any StyleExpression
        var scale: (any StyleExpression)?
        var font: (any StyleExpression)?
        var textColor: (any StyleExpression)?
        var verticalAlign: (any StyleExpression)?

        init(content: any StyleExpression) {
            self.content = content
        }

        var expressions: [any StyleExpression] {
            [content] + [scale, font, textColor, verticalAlign].compactMap { $0 }
        }
    }

    static let verticalAlignments = ["bottom", "center", "top"]

    let sections: [Section]
    var type: ExpressionType { .formatted }
    var children: [any StyleExpression] { sections.flatMap(\.expressions) }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        var result: [FormattedText.Section] = []
        for section in sections {
            let content = try section.content.evaluate(context)
            var evaluated = FormattedText.Section(text: "")
            if case .image(let image) = content {
                evaluated.image = image
            } else {
                evaluated.text = content.stringified
            }
            if let scale = section.scale, case .number(let n) = try scale.evaluate(context) { evaluated.scale = n }
            if let font = section.font, case .array(let names) = try font.evaluate(context) {
                evaluated.fontStack = names.map(\.stringified)
            }
            if let color = section.textColor, case .color(let c) = try color.evaluate(context) { evaluated.textColor = c }
            if let align = section.verticalAlign, case .string(let a) = try align.evaluate(context) {
                guard Format.verticalAlignments.contains(a) else {
                    throw ExpressionEvaluationError("vertical-align must be one of bottom, center, top, got \(JSONValue.quote(a))")
                }
                evaluated.verticalAlign = a
            }
            result.append(evaluated)
        }
        return .formatted(FormattedText(sections: result))
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...Int.max)
        if case .object = call.items[1] { throw StyleIssue(call.path(of: 1), "expected a text or image section before options") }
        var sections: [Section] = []
        var optionsAllowed = false
        for index in 1..<call.items.count {
            let item = call.items[index]
            if optionsAllowed, case .object = item {
                optionsAllowed = false
                let path = call.path(of: index)
                func option(_ key: String, _ type: ExpressionType) throws -> (any StyleExpression)? {
                    guard let value = item[key], value != .null else { return nil }
                    return try parser.parse(value, at: path.jsonMember(key), expected: type)
                }
                if case .string(let align)? = item["vertical-align"], !verticalAlignments.contains(align) {
                    throw StyleIssue(path.jsonMember("vertical-align"),
                                     "expected one of bottom, center, top, got \(JSONValue.quote(align))")
                }
                sections[sections.count - 1].scale = try option("font-scale", .number)
                sections[sections.count - 1].font = try option("text-font", .array(.string, nil))
                sections[sections.count - 1].textColor = try option("text-color", .color)
                sections[sections.count - 1].verticalAlign = try option("vertical-align", .string)
                continue
            }
            let content = try parser.argument(index, of: call)
            guard [.string, .value, .null, .resolvedImage].contains(content.type) else {
                throw StyleIssue(call.path(of: index), "expected a string, image or null section, got \(content.type)")
            }
            sections.append(Section(content: content))
            optionsAllowed = true
        }
        return Format(sections: sections)
    }
}
