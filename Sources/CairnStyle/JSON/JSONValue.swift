import CairnCore
/// A parsed JSON value. Objects keep their keys in document order, since MapLibre
/// reports problems in that order and `metadata` should round-trip unchanged.
public enum JSONValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The value of `key` in an object (the last one when a key repeats, as in JavaScript).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number, if this is one.
    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// Members of an object with repeated keys removed (the last one wins), in document order.
    public var objectMembers: [JSONMember]? {
        guard case .object(let members) = self else { return nil }
        var seen = Set<String>()
        var unique: [JSONMember] = []
        for member in members.reversed() where seen.insert(member.key).inserted {
            unique.append(member)
        }
        return unique.reversed()
    }

    /// The kind name used in error messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Compact JSON text, as quoted in error messages.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return JSONValue.format(number: n)
        case .string(let s): return JSONValue.quote(s)
        case .array(let items): return "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { JSONValue.quote($0.key) + ":" + $0.value.description }.joined(separator: ",") + "}"
        }
    }

    /// A short rendering for messages: long values are cut.
    var abbreviated: String {
        let text = description
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }

    static func format(number n: Double) -> String {
        if n.rounded() == n && abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }

    static func quote(_ s: String) -> String { JSONString.quoted(s) }
}

/// One key/value pair of a JSON object.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}
