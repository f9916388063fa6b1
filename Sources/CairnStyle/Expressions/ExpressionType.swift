/// The static type of an expression, checked when the style loads (MapLibre's type system,
/// without collator, formatted, image and padding types).
@usableFromInline
indirect enum ExpressionType: Sendable, Equatable, CustomStringConvertible {
    case null
    case number
    case string
    case boolean
    case color
    case object
    /// A `collator` value: how strings compare.
    case collator
    /// Text in sections with their own scale, fonts and colour (`format`).
    case formatted
    /// An `image` reference: a sprite image name and whether the style has it.
    case resolvedImage
    /// Any type: what `get` returns. Used where MapLibre inserts run-time assertions.
    case value
    /// An array of the item type, with a fixed length when known.
    case array(ExpressionType, Int?)

    @usableFromInline
    var description: String {
        switch self {
        case .null: return "null"
        case .number: return "number"
        case .string: return "string"
        case .boolean: return "boolean"
        case .color: return "color"
        case .object: return "object"
        case .collator: return "collator"
        case .resolvedImage: return "resolvedImage"
        case .formatted: return "formatted"
        case .value: return "value"
        case .array(let item, let count):
            if let count { return "array<\(item), \(count)>" }
            return item == .value ? "array" : "array<\(item)>"
        }
    }

    /// The type with any fixed array length dropped, so that branches may differ in length.
    var withoutLength: ExpressionType {
        if case .array(let item, _) = self { return .array(item, nil) }
        return self
    }

    var isArray: Bool {
        if case .array = self { return true }
        return false
    }

    /// Whether a value of type `actual` may be used where this type is expected.
    func accepts(_ actual: ExpressionType) -> Bool {
        if self == actual || self == .value { return true }
        if case .array(let item, let count) = self, case .array(let actualItem, let actualCount) = actual {
            let itemAccepted = item == .value || item.accepts(actualItem) || actualCount == 0
            return itemAccepted && (count == nil || count == actualCount)
        }
        return false
    }

    /// Whether run-time values of this type pass an assertion of type `self`.
    func matches(_ value: ExpressionValue) -> Bool {
        switch (self, value) {
        case (.value, _): return true
        case (.null, .null), (.number, .number), (.string, .string), (.boolean, .boolean),
             (.color, .color), (.object, .object), (.collator, .collator), (.resolvedImage, .image), (.formatted, .formatted):
            return true
        case (.array(let item, let count), .array(let items)):
            if let count, count != items.count { return false }
            return item == .value || items.allSatisfy { item.matches($0) }
        default:
            return false
        }
    }
}
