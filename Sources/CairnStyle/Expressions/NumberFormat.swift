import Foundation
import CairnCore

/// `["number-format", number, {"locale", "currency", "unit", "min-fraction-digits", "max-fraction-digits"}]`:
/// the number as text, as JavaScript's `Intl.NumberFormat` writes it for the common cases: the
/// shortest decimal digits of the number rounded half away from zero, grouped in thousands with the
/// locale's separators, with a currency symbol or a short unit.
struct NumberFormat: StyleExpression {
    let number: any StyleExpression
    let locale: (any StyleExpression)?
    let currency: (any StyleExpression)?
    let unit: (any StyleExpression)?
    let minFractionDigits: (any StyleExpression)?
    let maxFractionDigits: (any StyleExpression)?
    var type: ExpressionType { .string }
    var children: [any StyleExpression] {
        [number] + [locale, currency, unit, minFractionDigits, maxFractionDigits].compactMap { $0 }
    }

    /// Currencies whose symbol is known; others are written with their ISO code.
    static let currencySymbols = ["USD": "$", "EUR": "€", "JPY": "¥", "GBP": "£", "CNY": "CN¥", "VND": "₫", "KRW": "₩", "INR": "₹"]
    /// Currencies without minor units.
    static let wholeCurrencies: Set<String> = ["JPY", "KRW", "VND"]
    /// Short unit symbols and whether a space separates them from the number.
    static let unitSymbols: [String: (symbol: String, spaced: Bool)] = [
        "meter": ("m", true), "kilometer": ("km", true), "centimeter": ("cm", true), "millimeter": ("mm", true),
        "mile": ("mi", true), "foot": ("ft", true), "inch": ("in", true), "yard": ("yd", true),
        "celsius": ("°C", false), "fahrenheit": ("°F", false), "percent": ("%", false), "degree": ("deg", true),
        "kilogram": ("kg", true), "gram": ("g", true), "second": ("sec", true), "minute": ("min", true), "hour": ("hr", true),
        "byte": ("byte", true), "kilobyte": ("kB", true), "megabyte": ("MB", true), "gigabyte": ("GB", true),
        "kilometer-per-hour": ("km/h", true), "mile-per-hour": ("mph", true), "liter": ("L", true),
    ]

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .number(let value) = try number.evaluate(context) else { throw ExpressionEvaluationError("expected a number") }
        func text(_ expression: (any StyleExpression)?) throws(ExpressionEvaluationError) -> String? {
            guard let expression, case .string(let s) = try expression.evaluate(context) else { return nil }
            return s
        }
        func digits(_ expression: (any StyleExpression)?) throws(ExpressionEvaluationError) -> Int? {
            guard let expression, case .number(let n) = try expression.evaluate(context), n.isFinite else { return nil }
            return Int(max(0, min(100, n)))
        }
        let currencyCode = try text(currency)?.uppercased()
        let unitName = try text(unit)
        let defaultMin = currencyCode.map { NumberFormat.wholeCurrencies.contains($0) ? 0 : 2 } ?? 0
        let defaultMax = currencyCode.map { NumberFormat.wholeCurrencies.contains($0) ? 0 : 2 } ?? 3
        let minimum = try digits(minFractionDigits) ?? defaultMin
        let maximum = max(try digits(maxFractionDigits) ?? max(defaultMax, minimum), minimum)
        let localeInfo = Locale(identifier: try text(locale) ?? "en-US")
        let grouping = localeInfo.groupingSeparator ?? ","
        let decimal = localeInfo.decimalSeparator ?? "."
        var body = NumberFormat.decimalText(abs(value), minimum: minimum, maximum: maximum, grouping: grouping, decimal: decimal)
        if let currencyCode {
            body = (NumberFormat.currencySymbols[currencyCode] ?? currencyCode + "\u{a0}") + body
        } else if let unitName {
            guard let unitSymbol = NumberFormat.unitSymbols[unitName] else {
                throw ExpressionEvaluationError("unsupported unit \(JSONValue.quote(unitName)) for number-format")
            }
            body += (unitSymbol.spaced ? " " : "") + unitSymbol.symbol
        }
        return .string((value < 0 ? "-" : "") + body)
    }

    /// The shortest decimal digits of `value` (non-negative), rounded half up to `maximum` fraction
    /// digits, padded to `minimum`, integer part grouped by thousands.
    static func decimalText(_ value: Double, minimum: Int, maximum: Int, grouping: String, decimal: String) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : "∞" }
        // Shortest round-trip digits and decimal exponent, from Swift's description ("1.5e-07", "123.45").
        let description = "\(value)"
        var mantissa = description
        var exponent = 0
        if let e = description.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(description[..<e])
            exponent = Int(description[description.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array(parts[0]).map { Int(String($0))! }
        let fraction = parts.count > 1 ? Array(parts[1]).map { Int(String($0))! } : []
        var pointPosition = digits.count + exponent
        digits += fraction
        if pointPosition < 0 { digits = Array(repeating: 0, count: -pointPosition) + digits; pointPosition = 0 }
        if digits.count < pointPosition { digits += Array(repeating: 0, count: pointPosition - digits.count) }
        // Round to `maximum` fraction digits.
        let keep = pointPosition + maximum
        if digits.count > keep {
            let roundUp = digits[keep] >= 5
            digits = Array(digits[..<keep])
            if roundUp {
                var i = digits.count - 1
                while i >= 0 {
                    if digits[i] == 9 { digits[i] = 0; i -= 1 } else { digits[i] += 1; break }
                }
                if i < 0 { digits.insert(1, at: 0); pointPosition += 1 }
            }
        }
        var integerDigits = Array(digits[..<pointPosition])
        var fractionDigits = Array(digits[pointPosition...])
        while fractionDigits.count > minimum, fractionDigits.last == 0 { fractionDigits.removeLast() }
        while fractionDigits.count < minimum { fractionDigits.append(0) }
        while integerDigits.count > 1, integerDigits.first == 0 { integerDigits.removeFirst() }
        if integerDigits.isEmpty { integerDigits = [0] }
        var integerText = ""
        for (index, digit) in integerDigits.enumerated() {
            if index > 0 && (integerDigits.count - index) % 3 == 0 { integerText += grouping }
            integerText += String(digit)
        }
        return fractionDigits.isEmpty ? integerText : integerText + decimal + fractionDigits.map(String.init).joined()
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(2...2)
        let number = try parser.argument(1, of: call, expected: .number)
        let options = call.items[2]
        guard case .object = options else {
            throw StyleIssue(call.path(of: 2), "number-format options must be an object, got \(options.abbreviated)")
        }
        let path = call.path(of: 2)
        func option(_ key: String, _ type: ExpressionType) throws -> (any StyleExpression)? {
            guard let value = options[key], value != .null else { return nil }
            return try parser.parse(value, at: path.jsonMember(key), expected: type)
        }
        let currency = try option("currency", .string)
        let unit = try option("unit", .string)
        if currency != nil && unit != nil { throw StyleIssue(path, "number-format options currency and unit are mutually exclusive") }
        return NumberFormat(number: number, locale: try option("locale", .string), currency: currency, unit: unit,
                            minFractionDigits: try option("min-fraction-digits", .number),
                            maxFractionDigits: try option("max-fraction-digits", .number))
    }
}
