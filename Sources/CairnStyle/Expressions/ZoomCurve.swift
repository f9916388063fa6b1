/// MapLibre's rule for property expressions: `zoom` may only be the input of one `step` or
/// `interpolate` at the top of the expression (possibly inside `let` or `coalesce`), because the
/// renderer evaluates the zoom curve between its stops.
enum ZoomCurve {
    private struct Misuse: Error {
        let message: String
    }

    /// Throws a `StyleIssue` at `path` when `expression` uses `zoom` anywhere else.
    static func check(_ expression: any StyleExpression, at path: String) throws {
        do {
            if try !find(expression) && expression.dependencies.usesZoom {
                throw Misuse(message: nestedMessage)
            }
        } catch let misuse as Misuse {
            throw StyleIssue(path, misuse.message)
        }
    }

    private static let nestedMessage = "\"zoom\" may only be used as the input of a top-level \"step\" or \"interpolate\""

    private static func isCurve(_ expression: any StyleExpression) -> Bool {
        if let step = expression as? Step { return step.input is Zoom }
        if let interpolate = expression as? Interpolate { return interpolate.input is Zoom }
        return false
    }

    /// Whether `expression` has a zoom curve where one is allowed; throws for any misplaced one.
    private static func find(_ expression: any StyleExpression) throws -> Bool {
        // The sub-expressions where the curve may sit, and the others where none may.
        var candidates: [any StyleExpression] = []
        var others: [any StyleExpression] = []
        if let binding = expression as? Let {
            candidates = [binding.body]
            others = binding.bindings
        } else if let coalesce = expression as? Coalesce {
            candidates = coalesce.operands
        } else if isCurve(expression) {
            // The curve's outputs may not hold another zoom curve.
            for child in expression.children where try find(child) { throw Misuse(message: nestedMessage) }
            return true
        } else {
            others = expression.children
        }
        var found = false
        for candidate in candidates where try find(candidate) {
            if found { throw Misuse(message: "only one zoom-based \"step\" or \"interpolate\" may be used in an expression") }
            found = true
        }
        for other in others where try find(other) { throw Misuse(message: nestedMessage) }
        return found
    }
}
