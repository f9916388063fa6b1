import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnStyle

/// MapLibre's style validation fixtures (BSD-3-Clause), read from
/// `../shared/conformance/maplibre-style-spec/test/integration/style-spec/tests` (skipped when absent):
/// Cairn must reject a style exactly when MapLibre's validator does (`MapLibreStyleSpecFixture`), except
/// for the fixtures listed with a reason in `Fixtures/maplibre-style-spec-disagreements.json`.
struct MapLibreStyleSpecConformanceTests {
    static let suite = "maplibre-style-spec/test/integration/style-spec/tests"

    static func inputs() -> [URL] {
        guard let root = TestTier.conformanceSuite(suite),
              let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return [] }
        return names.filter { $0.hasSuffix(".input.json") }.sorted().map { root.appendingPathComponent($0) }
    }

    static func disagreements() throws -> [String: String] {
        let json = try FixtureFiles.json("maplibre-style-spec-disagreements.json")
        var reasons: [String: String] = [:]
        for member in json["fixtures"]?.objectMembers ?? [] { reasons[member.key] = member.value.stringValue ?? "" }
        return reasons
    }

    @Test(.conformance(suite))
    func cairnRejectsExactlyTheStylesMapLibreRejects() throws {
        let inputs = Self.inputs()
        #expect(inputs.count >= 30, "expected MapLibre's ~38 style validation fixtures")
        let listed = try Self.disagreements()
        var agreeing = 0
        var samePath = 0
        for input in inputs {
            let name = input.lastPathComponent.replacingOccurrences(of: ".input.json", with: "")
            let verdict = try MapLibreStyleSpecFixture.verdict(input: input)
            if verdict.agrees {
                agreeing += 1
                if listed[name] != nil { Issue.record("\(name) agrees now: remove it from maplibre-style-spec-disagreements.json") }
            } else if listed[name] == nil {
                Issue.record("\(name): \(verdict.summary)")
            }
            if verdict.samePath { samePath += 1 }
        }
        let percent = Double(agreeing) * 100 / Double(max(inputs.count, 1))
        print("MapLibre style validation: Cairn agrees on \(agreeing) of \(inputs.count) fixtures (\(String(format: "%.1f", percent)) %), "
              + "its first error at a path MapLibre reports in \(samePath)")
        #expect(percent >= 90)
    }
}
