import CairnCore

/// Converts a legacy (pre-expression) property function into an expression tree:
/// `{"stops": [[z, v], ...], "base": b}` zoom functions, `{"property": p, "type": ...}` data
/// functions (categorical, interval, exponential, identity) and zoom-and-property functions.
enum LegacyFunction {
    private static let types = ["identity", "exponential", "interval", "categorical"]

    static func convert<T>(_ json: JSONValue, at path: String, kind: PropertyKind<T>) throws -> any StyleExpression {
        var property: String?
        if let value = json["property"] {
            guard case .string(let name) = value else {
                throw StyleIssue(path.jsonMember("property"), "expected string, got \(value.abbreviated)")
            }
            property = name
        }
        let type: String
        if let value = json["type"] {
            guard case .string(let name) = value, types.contains(name) else {
                throw StyleIssue(path.jsonMember("type"), "expected one of \(types.joined(separator: ", ")), got \(value.abbreviated)")
            }
            type = name
        } else {
            type = kind.isInterpolatable ? "exponential" : "interval"
        }
        if type == "exponential" && !kind.isInterpolatable {
            throw StyleIssue(path.jsonMember("type"), "exponential functions are not supported for this property")
        }
        var base = 1.0
        if let value = json["base"] {
            guard case .number(let n) = value else {
                throw StyleIssue(path.jsonMember("base"), "expected number, got \(value.abbreviated)")
            }
            base = n
        }
        var colorSpace = Interpolate.ColorSpace.rgb
        if let value = json["colorSpace"] {
            switch value {
            case .string("rgb"): colorSpace = .rgb
            case .string("hcl"): colorSpace = .hcl
            case .string("lab"): colorSpace = .lab
            default: throw StyleIssue(path.jsonMember("colorSpace"), "expected one of rgb, hcl, lab, got \(value.abbreviated)")
            }
        }
        var fallback: ExpressionValue?
        if let value = json["default"] {
            fallback = try output(value, at: path.jsonMember("default"), kind: kind).literalValue
        }

        let function: any StyleExpression
        if type == "identity" {
            guard let property else { throw StyleIssue(path, "identity functions need a \"property\"") }
            function = try identity(property, kind: kind)
        } else {
            guard let stopsJSON = json["stops"] else { throw StyleIssue(path.jsonMember("stops"), "required property missing, expected array of stops") }
            guard case .array(let stops) = stopsJSON, !stops.isEmpty else {
                throw StyleIssue(path.jsonMember("stops"), "expected non-empty array of stops, got \(stopsJSON.abbreviated)")
            }
            let stopsPath = path.jsonMember("stops")
            var pairs: [(input: JSONValue, output: any StyleExpression, path: String)] = []
            for (index, stop) in stops.enumerated() {
                let stopPath = stopsPath.jsonElement(index)
                guard case .array(let pair) = stop, pair.count == 2 else {
                    throw StyleIssue(stopPath, "expected [input, output], got \(stop.abbreviated)")
                }
                // Tokens are replaced in zoom functions only, as MapLibre's conversion does.
                pairs.append((pair[0], try output(pair[1], at: stopPath.jsonElement(1), kind: kind, tokens: property == nil),
                              stopPath.jsonElement(0)))
            }
            if case .object = pairs[0].input {
                guard let property else { throw StyleIssue(path, "zoom-and-property functions need a \"property\"") }
                function = try zoomAndProperty(pairs, property: property, type: type, base: base, colorSpace: colorSpace, kind: kind)
            } else {
                let input: any StyleExpression = property.map { Get(key: $0) } ?? Zoom()
                function = try curve(type: type, base: base, colorSpace: colorSpace, input: input,
                                     stops: pairs.map { ($0.input, $0.output, $0.path) }, kind: kind)
            }
        }
        guard property != nil else { return function }
        guard let fallback else { return LegacyDefault(inner: function, fallback: .null) }
        return LegacyDefault(inner: function, fallback: fallback, accepts: { kind.convert($0) != nil })
    }

    /// A stop output: a constant of the property's kind (text-field strings of zoom functions keep
    /// their tokens).
    private static func output<T>(_ json: JSONValue, at path: String, kind: PropertyKind<T>, tokens: Bool = false) throws -> any StyleExpression {
        if tokens, kind.isTextField, case .string(let text) = json, let tokenString = TokenString(text) { return tokenString }
        guard let value = kind.value(fromJSON: json) else {
            throw StyleIssue(path, "expected \(kind.expectation), got \(json.abbreviated)")
        }
        return Literal(value: value, type: kind.expected)
    }

    private static func identity<T>(_ property: String, kind: PropertyKind<T>) throws -> any StyleExpression {
        let get = Get(key: property)
        switch kind.expected {
        case .color: return ToColor(arguments: [get])
        case .value: return get
        default:
            if kind.isTextField { return ToString(operand: get) }
            return Assertion(type: kind.expected, arguments: [get])
        }
    }

    private static func curve<T>(
        type: String,
        base: Double,
        colorSpace: Interpolate.ColorSpace = .rgb,
        input: any StyleExpression,
        stops: [(input: JSONValue, output: any StyleExpression, path: String)],
        kind: PropertyKind<T>
    ) throws -> any StyleExpression {
        if type == "categorical" {
            var strings: [String: Int] = [:]
            var numbers: [Double: Int] = [:]
            var booleans: [Bool: Int] = [:]
            for (index, stop) in stops.enumerated() {
                switch stop.input {
                case .string(let s): if strings[s] == nil { strings[s] = index }
                case .number(let n): if numbers[n] == nil { numbers[n] = index }
                case .bool(let b): if booleans[b] == nil { booleans[b] = index }
                default: throw StyleIssue(stop.path, "expected string, number or boolean, got \(stop.input.abbreviated)")
                }
            }
            return Match(input: input, stringCases: strings, numberCases: numbers, booleanCases: booleans,
                         outputs: stops.map(\.output), fallback: Literal(value: .null), type: kind.expected)
        }
        var inputs: [Double] = []
        var outputs: [any StyleExpression] = []
        for stop in stops {
            guard case .number(let n) = stop.input else {
                throw StyleIssue(stop.path, "expected number, got \(stop.input.abbreviated)")
            }
            // A repeated stop input is skipped (the first one counts), as MapLibre's conversion does.
            if let previous = inputs.last, n == previous { continue }
            if let previous = inputs.last, n < previous {
                throw StyleIssue(stop.path, "stop inputs must be in ascending order")
            }
            inputs.append(n)
            outputs.append(stop.output)
        }
        let numberInput = input.type == .number ? input : Assertion(type: .number, arguments: [input])
        if type == "interval" {
            return Step(input: numberInput, stops: [-.infinity] + inputs.dropFirst(), outputs: outputs,
                        type: kind.expected)
        }
        return Interpolate(interpolation: .exponential(base: base), colorSpace: colorSpace, input: numberInput, stops: inputs,
                           outputs: outputs, type: kind.expected)
    }

    private static func zoomAndProperty<T>(
        _ pairs: [(input: JSONValue, output: any StyleExpression, path: String)],
        property: String,
        type: String,
        base: Double,
        colorSpace: Interpolate.ColorSpace,
        kind: PropertyKind<T>
    ) throws -> any StyleExpression {
        var zooms: [Double] = []
        var groups: [Double: [(input: JSONValue, output: any StyleExpression, path: String)]] = [:]
        for pair in pairs {
            guard case .number(let zoom)? = pair.input["zoom"], let value = pair.input["value"] else {
                throw StyleIssue(pair.path, "expected {\"zoom\": number, \"value\": ...}, got \(pair.input.abbreviated)")
            }
            if groups[zoom] == nil {
                if let last = zooms.last, zoom < last {
                    throw StyleIssue(pair.path, "stop zooms must be in ascending order")
                }
                zooms.append(zoom)
            }
            groups[zoom, default: []].append((value, pair.output, pair.path))
        }
        let inner = try zooms.map { zoom in
            try curve(type: type, base: base, colorSpace: colorSpace, input: Get(key: property), stops: groups[zoom]!, kind: kind)
        }
        // Only exponential functions interpolate between zoom stops; interval and categorical step.
        if kind.isInterpolatable && type == "exponential" {
            return Interpolate(interpolation: .exponential(base: base), colorSpace: colorSpace, input: Zoom(), stops: zooms,
                               outputs: inner, type: kind.expected)
        }
        return Step(input: Zoom(), stops: [-.infinity] + zooms.dropFirst(), outputs: inner, type: kind.expected)
    }
}

extension StyleExpression {
    /// The value of a literal node, nil for anything else.
    var literalValue: ExpressionValue? { (self as? Literal)?.value }
}
