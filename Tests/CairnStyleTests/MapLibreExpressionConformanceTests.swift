import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnStyle

/// MapLibre's own expression tests (BSD-3-Clause), read from
/// `../shared/conformance/maplibre-style-spec/test/integration/expression/tests` (never committed; skipped
/// when that folder is absent), checked as MapLibre's harness checks them (`MapLibreExpressionFixture`).
/// At least 95 % must pass, and every failing case must be listed with its reason in
/// `Fixtures/maplibre-expression-exceptions.json`; a listed case that passes must be removed from it.
struct MapLibreExpressionConformanceTests {
    static let suite = "maplibre-style-spec/test/integration/expression/tests"

    static func cases() -> [(name: String, file: URL)] {
        guard let root = TestTier.conformanceSuite(suite),
              let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var cases: [(name: String, file: URL)] = []
        while let url = enumerator.nextObject() as? URL {
            guard url.lastPathComponent == "test.json" else { continue }
            let name = url.deletingLastPathComponent().standardizedFileURL.path
                .replacingOccurrences(of: root.standardizedFileURL.path + "/", with: "")
            cases.append((name, url))
        }
        return cases.sorted { $0.name < $1.name }
    }

    /// The listed cases and why Cairn differs.
    static func exceptions() throws -> [String: String] {
        let json = try FixtureFiles.json("maplibre-expression-exceptions.json")
        var reasons: [String: String] = [:]
        for member in json["cases"]?.objectMembers ?? [] { reasons[member.key] = member.value.stringValue ?? "" }
        return reasons
    }

    @Test(.conformance(suite))
    func atLeast95PercentPassAndEveryFailureIsListed() throws {
        let cases = Self.cases()
        #expect(cases.count >= 500, "expected MapLibre's ~577 expression cases")
        let exceptions = try Self.exceptions()
        var passed = 0
        for (name, file) in cases {
            if let failure = MapLibreExpressionFixture.failure(file) {
                if exceptions[name] == nil { Issue.record("\(name) fails and is not in maplibre-expression-exceptions.json: \(failure)") }
            } else {
                passed += 1
                if exceptions[name] != nil { Issue.record("\(name) passes now: remove it from maplibre-expression-exceptions.json") }
            }
        }
        let percent = Double(passed) * 100 / Double(max(cases.count, 1))
        print("MapLibre expression conformance: \(passed) of \(cases.count) cases pass (\(String(format: "%.1f", percent)) %)")
        #expect(percent >= 95, "\(passed) of \(cases.count) MapLibre expression cases pass, below 95 %")
    }

    @Test func everyListedExceptionHasAReason() throws {
        for (name, reason) in try Self.exceptions() {
            #expect(reason.count > 20, "\(name) needs a reason")
        }
    }
}
