/// Cairn's one JSON value: styles, tile matrix sets and every JSON response. Objects keep their
/// keys in document (or written) order, since MapLibre reports problems in that order and
/// `metadata` should round-trip unchanged; numbers are written in their shortest exact spelling
/// (Foundation's writer on Linux rounds doubles to 15 digits).
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
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The value of `key` in an object, for building documents: setting nil removes the member;
    /// setting a new key appends it, so members stay in the order they were written.
    public subscript(member key: String) -> JSONValue? {
        get { self[key] }
        set {
            guard case .object(var members) = self else { return }
            members.removeAll { $0.key == key }
            if let newValue { members.append(JSONMember(key: key, value: newValue)) }
            self = .object(members)
        }
    }

    /// The boolean, if this is one.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// Compact JSON text (UTF-8), as sent in responses and quoted in error messages.
    public var text: String { description }

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
    public var abbreviated: String {
        let text = description
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }

    /// Integers without a fraction; other numbers in Swift's shortest round-trip spelling;
    /// non-finite numbers (which JSON cannot spell) as null.
    public static func format(number n: Double) -> String {
        guard n.isFinite else { return "null" }
        if n.rounded() == n && abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }

    public static func quote(_ s: String) -> String { JSONString.quoted(s) }
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

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Members in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { JSONMember(key: $0.0, value: $0.1) })
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    public init(_ string: String) { self = .string(string) }
    public init(_ number: Int) { self = .number(Double(number)) }
    public init(_ number: Double) { self = .number(number) }
    public init(_ bool: Bool) { self = .bool(bool) }
    /// An optional string: null when absent.
    public init(_ string: String?) { self = string.map(JSONValue.string) ?? .null }
    /// An object from unordered pairs, written with keys sorted so the text is stable.
    public init(sorting members: [String: JSONValue]) {
        self = .object(members.keys.sorted().map { JSONMember(key: $0, value: members[$0]!) })
    }
}
