@testable import CairnConfiguration
import CairnEngine
import Foundation
import Testing

/// Every problem of a configuration is reported at once, in the order a user reads the file.
struct ConfigurationErrorOrderTests {
    @Test func problemsComeInLineOrder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-order-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try #"{"version": 8, "sources": {}, "layers": []}"#.write(toFile: folder + "/s.json", atomically: true, encoding: .utf8)
        // The reader checks unknown top-level keys and `limits` before `listen` and `maps`.
        let yaml = """
        listen:
          port: 0
        limits:
          render_queue: none
        maps:
          - name: m
            style: s.json
            metatile: big
        cahce: {}
        """
        let errors = try #require(throws: ConfigurationErrors.self) { try CairnConfiguration.parse(yaml: yaml, path: folder + "/c.yaml") }
        #expect(errors.problems.map(\.line) == [2, 4, 8, 9])
        #expect(errors.problems.map(\.keyPath) == ["listen.port", "limits.render_queue", "maps[0].metatile", "cahce"])
    }

    @Test func sortingKeepsTheOrderOfProblemsOnOneLineAndPutsFileProblemsFirst() {
        let problems = [
            ConfigurationError(file: "a.yaml", line: 3, keyPath: "x", message: "first"),
            ConfigurationError(file: "a.yaml", line: nil, keyPath: "", message: "file"),
            ConfigurationError(file: "a.yaml", line: 3, keyPath: "y", message: "second"),
            ConfigurationError(file: "a.yaml", line: 1, keyPath: "z", message: "top"),
        ]
        let sorted = ConfigurationErrors(problems: problems).inLineOrder()
        #expect(sorted.problems.map(\.message) == ["file", "top", "first", "second"])
    }
}
