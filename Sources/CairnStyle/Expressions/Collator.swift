import Foundation

/// How `collator` compares strings: optionally ignoring case and diacritics. Cairn compares in
/// Unicode order after folding (Foundation on Linux has no locale tailoring), so `locale` is kept
/// for `resolved-locale` but does not change the order.
public struct Collator: Sendable, Equatable {
    public var caseSensitive: Bool
    public var diacriticSensitive: Bool
    public var locale: String?

    /// Negative, zero or positive as `a` sorts before, with or after `b`: letters first (so "ä" < "b"),
    /// then accents if asked (unaccented first), then case if asked (lower case first), as the
    /// Unicode collation algorithm's three levels do.
    func compare(_ a: String, _ b: String) -> Int {
        let baseX = a.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        let baseY = b.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        if baseX != baseY { return baseX < baseY ? -1 : 1 }
        if diacriticSensitive {
            let x = a.folding(options: .caseInsensitive, locale: nil), y = b.folding(options: .caseInsensitive, locale: nil)
            if x != y { return x < y ? -1 : 1 }
        }
        if caseSensitive {
            let x = a.folding(options: .diacriticInsensitive, locale: nil), y = b.folding(options: .diacriticInsensitive, locale: nil)
            if x != y {
                func lowerFirst(_ s: String) -> String {
                    String(s.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })
                }
                return lowerFirst(x) < lowerFirst(y) ? -1 : 1
            }
        }
        return 0
    }

    /// The locale the collator would use: the one asked for, else the default ("en").
    var resolvedLocale: String { locale ?? "en" }
}

/// `["collator", {"case-sensitive": bool, "diacritic-sensitive": bool, "locale": string}]`.
struct CollatorExpression: StyleExpression {
    let caseSensitive: any StyleExpression
    let diacriticSensitive: any StyleExpression
    let locale: (any StyleExpression)?
    var type: ExpressionType { .collator }
    var children: [any StyleExpression] { [caseSensitive, diacriticSensitive] + (locale.map { [$0] } ?? []) }

    func collectDependencies(into dependencies: inout ExpressionDependencies) {
        // Not folded while loading, as in MapLibre: the result depends on the environment's locales.
        dependencies.usesEnvironment = true
        for child in children { child.collectDependencies(into: &dependencies) }
    }

    func evaluate(_ context: EvaluationContext) throws(ExpressionEvaluationError) -> ExpressionValue {
        guard case .boolean(let caseFlag) = try caseSensitive.evaluate(context),
              case .boolean(let diacriticFlag) = try diacriticSensitive.evaluate(context) else {
            throw ExpressionEvaluationError("expected booleans for case-sensitive and diacritic-sensitive")
        }
        var localeName: String?
        if let locale, case .string(let name) = try locale.evaluate(context) { localeName = name }
        return .collator(Collator(caseSensitive: caseFlag, diacriticSensitive: diacriticFlag, locale: localeName))
    }

    static func parse(_ call: ExpressionCall, _ parser: ExpressionParser) throws -> any StyleExpression {
        try call.expectArguments(1...1)
        guard case .object = call.items[1] else {
            throw StyleIssue(call.path(of: 1), "collator options must be an object, got \(call.items[1].abbreviated)")
        }
        let options = call.path(of: 1)
        func option(_ key: String, _ type: ExpressionType) throws -> (any StyleExpression)? {
            guard let value = call.items[1][key] else { return nil }
            return try parser.parse(value, at: options.jsonMember(key), expected: type)
        }
        return CollatorExpression(
            caseSensitive: try option("case-sensitive", .boolean) ?? Literal(value: .boolean(false)),
            diacriticSensitive: try option("diacritic-sensitive", .boolean) ?? Literal(value: .boolean(false)),
            locale: try option("locale", .string)
        )
    }
}
