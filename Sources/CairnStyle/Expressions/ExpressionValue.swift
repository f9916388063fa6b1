import CairnCore

/// A value an expression produces at run time. Numbers are always `Double`, so an integer
/// attribute equals the same number written with a fraction, as in MapLibre (JavaScript numbers).
public enum ExpressionValue: Sendable, Equatable {
    case null
    case boolean(Bool)
    case number(Double)
    case string(String)
    case color(Color)
    case array([ExpressionValue])
    case object([String: ExpressionValue])
    case collator(Collator)
    case image(ResolvedImage)
    case formatted(FormattedText)

    /// The value of a feature attribute.
    @inlinable
    public init(_ property: PropertyValue) {
        switch property {
        case .null: self = .null
        case .bool(let b): self = .boolean(b)
        case .int(let i): self = .number(Double(i))
        case .double(let d): self = .number(d)
        case .string(let s): self = .string(s)
        }
    }

    /// A JSON value taken literally (as `["literal", ...]` does).
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .boolean(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(ExpressionValue.init(json:)))
        case .object(let members):
            var dictionary: [String: ExpressionValue] = [:]
            for member in members { dictionary[member.key] = ExpressionValue(json: member.value) }
            self = .object(dictionary)
        }
    }

    /// The static type of this value, as `typeof` would report it.
    var type: ExpressionType {
        switch self {
        case .null: return .null
        case .boolean: return .boolean
        case .number: return .number
        case .string: return .string
        case .color: return .color
        case .object: return .object
        case .collator: return .collator
        case .image: return .resolvedImage
        case .formatted: return .formatted
        case .array(let items):
            guard let first = items.first?.type else { return .array(.value, 0) }
            let same = items.allSatisfy { $0.type == first }
            return .array(same ? first : .value, items.count)
        }
    }

    var objectValue: [String: ExpressionValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The text `to-string` gives: JavaScript number formatting, `rgba(...)` for colours, JSON for
    /// arrays and objects, "" for null.
    var stringified: String {
        switch self {
        case .null: return ""
        case .boolean(let b): return b ? "true" : "false"
        case .number(let n): return ExpressionValue.javaScriptString(n)
        case .string(let s): return s
        case .color(let c): return ExpressionValue.cssText(c)
        case .array, .object: return jsonText
        case .collator: return "[object Collator]"
        case .image(let image): return image.name
        case .formatted(let text): return text.plainText
        }
    }

    /// `String(value)` in JavaScript for the primitives `in` and `index-of` search with (null is "null").
    var javaScriptText: String {
        if case .null = self { return "null" }
        return stringified
    }

    /// JSON text of the value, as `JSON.stringify` writes it.
    var jsonText: String {
        switch self {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .number(let n): return n.isFinite ? ExpressionValue.javaScriptString(n) : "null"
        case .string(let s): return JSONValue.quote(s)
        case .color(let c): return JSONValue.quote(ExpressionValue.cssText(c))
        case .collator: return "{}"
        case .image(let image): return JSONValue.quote(image.name)
        case .formatted(let text): return JSONValue.quote(text.plainText)
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let dictionary):
            return "{" + dictionary.keys.sorted().map { JSONValue.quote($0) + ":" + dictionary[$0]!.jsonText }
                .joined(separator: ",") + "}"
        }
    }

    /// `rgba(r,g,b,a)` as MapLibre's `to-string` writes it (alpha in JavaScript number format).
    static func cssText(_ c: Color) -> String {
        func channel(_ v: Double) -> Int { Int((v * 255).rounded()) }
        return "rgba(\(channel(c.red)),\(channel(c.green)),\(channel(c.blue)),\(javaScriptString(c.alpha)))"
    }

    /// `String(n)` in JavaScript, for the common cases: integers print without a fraction.
    static func javaScriptString(_ n: Double) -> String {
        if n.isNaN { return "NaN" }
        if n.isInfinite { return n < 0 ? "-Infinity" : "Infinity" }
        if n == n.rounded() && abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }
}
