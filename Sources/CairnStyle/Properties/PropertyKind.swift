import CairnCore

/// How one property's values are typed and converted: the expression type expected, how a
/// JSON constant and a run-time value become a `T`, and the spec default.
struct PropertyKind<T: Sendable>: Sendable {
    let expected: ExpressionType
    /// What a constant must be, for messages: "number", "color", "one of butt, round, square".
    let expectation: String
    let isEnumeration: Bool
    let isInterpolatable: Bool
    /// text-field: "{token}" substitution in plain strings, any value converted to text.
    var isTextField = false
    let defaultValue: T
    let convert: @Sendable (ExpressionValue) -> T?

    /// A JSON constant as an expression value of this kind (colour strings parsed), or nil.
    func value(fromJSON json: JSONValue) -> ExpressionValue? {
        var value = ExpressionValue(json: json)
        if expected == .color {
            guard case .string(let text) = json, let color = CSSColorParser.parse(text) else { return nil }
            value = .color(color)
        }
        guard expected.matches(value), convert(value) != nil else { return nil }
        return value
    }

    /// The message for a constant that is not of this kind.
    func mismatch(_ json: JSONValue) -> String {
        isEnumeration ? "expected \(expectation), got \(json.abbreviated)"
            : "expected \(expectation) or expression, got \(json.abbreviated)"
    }
}

extension PropertyKind where T == Double {
    static func number(_ defaultValue: Double) -> PropertyKind<Double> {
        PropertyKind(expected: .number, expectation: "number", isEnumeration: false, isInterpolatable: true,
                     defaultValue: defaultValue) { value in
            if case .number(let n) = value { return n }
            return nil
        }
    }
}

extension PropertyKind where T == Bool {
    static func boolean(_ defaultValue: Bool) -> PropertyKind<Bool> {
        PropertyKind(expected: .boolean, expectation: "boolean", isEnumeration: false, isInterpolatable: false,
                     defaultValue: defaultValue) { value in
            if case .boolean(let b) = value { return b }
            return nil
        }
    }
}

extension PropertyKind where T == Color {
    static func color(_ defaultValue: Color) -> PropertyKind<Color> {
        PropertyKind(expected: .color, expectation: "color", isEnumeration: false, isInterpolatable: true,
                     defaultValue: defaultValue) { value in
            if case .color(let c) = value { return c }
            return nil
        }
    }
}

extension PropertyKind where T == String {
    /// text-field.
    static var text: PropertyKind<String> {
        var kind = PropertyKind(expected: .string, expectation: "string", isEnumeration: false, isInterpolatable: false,
                                defaultValue: "") { value in
            if case .string(let s) = value { return s }
            return value.stringified
        }
        kind.isTextField = true
        return kind
    }
}

extension PropertyKind where T == String {
    /// icon-image, fill-pattern, line-pattern: a sprite image id ("{token}" strings substituted, as MapLibre does).
    static var imageName: PropertyKind<String> {
        var kind = PropertyKind.text
        kind.isTextField = true
        return kind
    }
}

extension PropertyKind where T == [Double] {
    static func numbers(_ defaultValue: [Double], count: Int? = nil) -> PropertyKind<[Double]> {
        PropertyKind(expected: .array(.number, count), expectation: count.map { "array of \($0) numbers" } ?? "array of numbers",
                     isEnumeration: false, isInterpolatable: true, defaultValue: defaultValue) { value in
            guard case .array(let items) = value else { return nil }
            var numbers: [Double] = []
            numbers.reserveCapacity(items.count)
            for item in items {
                guard case .number(let n) = item else { return nil }
                numbers.append(n)
            }
            return numbers
        }
    }
}

extension PropertyKind where T == [String] {
    static func strings(_ defaultValue: [String]) -> PropertyKind<[String]> {
        PropertyKind(expected: .array(.string, nil), expectation: "array of strings", isEnumeration: false,
                     isInterpolatable: false, defaultValue: defaultValue) { value in
            guard case .array(let items) = value else { return nil }
            var strings: [String] = []
            for item in items {
                guard case .string(let s) = item else { return nil }
                strings.append(s)
            }
            return strings
        }
    }
}

extension PropertyKind {
    static func enumeration(_ defaultValue: T) -> PropertyKind<T>
    where T: RawRepresentable & CaseIterable, T.RawValue == String {
        PropertyKind(expected: .string, expectation: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "),
                     isEnumeration: true, isInterpolatable: false, defaultValue: defaultValue) { value in
            if case .string(let s) = value { return T(rawValue: s) }
            return nil
        }
    }
}

extension PropertyKind {
    /// An array of enumeration values, e.g. text-variable-anchor.
    static func enumerations<E>(_ defaultValue: [E]) -> PropertyKind<[E]>
    where T == [E], E: RawRepresentable & CaseIterable & Sendable, E.RawValue == String {
        PropertyKind(expected: .array(.string, nil),
                     expectation: "array of " + E.allCases.map(\.rawValue).joined(separator: ", "),
                     isEnumeration: false, isInterpolatable: false, defaultValue: defaultValue) { value in
            guard case .array(let items) = value else { return nil }
            var result: [E] = []
            for item in items {
                guard case .string(let s) = item, let e = E(rawValue: s) else { return nil }
                result.append(e)
            }
            return result
        }
    }
}
