import CairnConfiguration
import Testing

/// `refresh_zooms: A-B` on a map: the zooms whose tiles live edits re-render in the background.
struct RefreshZoomsConfigurationTests {
    func parse(_ value: String) throws -> CairnConfiguration {
        try CairnConfiguration.parse(yaml: """
            maps:
              - name: live
                style: \(TestPaths.miniStyle)
                refresh_zooms: \(value)
            """, path: "cairn.yaml")
    }

    @Test func aRangeOrOneZoom() throws {
        #expect(try parse("12-16").maps[0].refreshZooms == 12...16)
        #expect(try parse("14").maps[0].refreshZooms == 14...14)
        #expect(try parse("\"0-0\"").maps[0].refreshZooms == 0...0)
    }

    @Test(arguments: ["16-12", "12-25", "-1-3", "twelve", "[12, 16]", "12-"])
    func anythingElseNamesTheLineAndKey(value: String) throws {
        let error = try #require(throws: ConfigurationErrors.self) { try parse(value) }
        #expect(error.description.contains("cairn.yaml:4: maps[0].refresh_zooms: expected a zoom range A-B with 0 <= A <= B <= 24 (e.g. 12-16)"), "\(error.description)")
    }
}
