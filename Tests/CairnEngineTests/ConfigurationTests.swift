@testable import CairnConfiguration
import Foundation
import Testing
@testable import CairnEngine

struct ConfigurationTests {
    @Test func readsAWholeConfiguration() throws {
        let yaml = """
        listen:
          host: 0.0.0.0
          port: 9090
        cache:
          directory: cache
        maps:
          - name: hai-phong
            style: \(TestPaths.miniStyle)
            title: Hải Phòng
            attribution: test
            metatile: 8
            maxzoom: 18
            scales: [1, 2]
        """
        let configuration = try CairnConfiguration.parse(yaml: yaml, path: "/etc/cairn/cairn.yaml")
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9090)
        #expect(configuration.cacheDirectory == "/etc/cairn/cache")
        #expect(configuration.maps.count == 1)
        #expect(configuration.maps[0].title == "Hải Phòng")
        #expect(configuration.maps[0].metatileSize == 8)
        #expect(configuration.maps[0].maxZoom == 18)
    }

    @Test func reportsEveryProblemWithItsLineAndKeyPath() throws {
        let yaml = """
        listen:
          port: seventy
        maps:
          - name: Bad Name
            style: missing.json
          - name: ok
            style: \(TestPaths.miniStyle)
            metatile: big
            colour: red
        """
        let error = try #require(throws: ConfigurationErrors.self) {
            try CairnConfiguration.parse(yaml: yaml, path: "cairn.yaml")
        }
        let text = error.description
        #expect(text.contains("cairn.yaml:2: listen.port: expected an integer from 1 to 65535, got \"seventy\""))
        #expect(text.contains("cairn.yaml:4: maps[0].name: expected lowercase letters"))
        #expect(text.contains("cairn.yaml:5: maps[0].style: file not found: missing.json"))
        #expect(text.contains("cairn.yaml:8: maps[1].metatile: expected an integer from 1 to 16, got \"big\""))
        #expect(text.contains("cairn.yaml:9: maps[1].colour: unknown key"))
    }

    @Test func malformedYAMLNamesTheLine() throws {
        let error = try #require(throws: ConfigurationErrors.self) {
            try CairnConfiguration.parse(yaml: "maps:\n  - name: [unclosed\n", path: "c.yaml")
        }
        #expect(error.description.hasPrefix("c.yaml:"))
        #expect(error.description.contains("not valid YAML"))
    }

    @Test func missingMapsIsAnError() throws {
        let error = try #require(throws: ConfigurationErrors.self) {
            try CairnConfiguration.parse(yaml: "listen:\n  port: 8080\n", path: "c.yaml")
        }
        #expect(error.description.contains("maps: missing"))
    }

    @Test(arguments: ["hai-phong", "a", "0map", "x-1-2"]) func acceptsMapNames(_ name: String) {
        #expect(MapConfiguration.isValidName(name))
    }

    @Test(arguments: ["", "-a", "A", "a_b", "..", "a/b", "hải", String(repeating: "a", count: 65), "a\0b", "a.png"])
    func rejectsMapNames(_ name: String) {
        #expect(!MapConfiguration.isValidName(name))
    }
}
