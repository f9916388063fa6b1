import Testing
import CairnCore
@testable import CairnStyle

@Suite struct LegacyFilterTests {
    static func filter(_ text: String) throws -> Filter {
        try Filter.parse(JSONParser.parse(Array(text.utf8)), at: "filter")
    }

    static let road = EvaluationContext(
        zoom: 14,
        properties: ["highway": .string("primary"), "so_lan": .int(4), "cau": .int(0), "ten": .string("Lạch Tray"),
                     "width": .double(7.5), "note": .null],
        geometryType: .lineString,
        featureID: 42)

    @Test(arguments: [
        (#"["==", "highway", "primary"]"#, true),
        (#"["==", "highway", "secondary"]"#, false),
        (#"["==", "so_lan", 4]"#, true),
        (#"["==", "so_lan", 4.0]"#, true),
        (#"["==", "so_lan", "4"]"#, false),
        (#"["==", "missing", null]"#, false),
        (#"["==", "note", null]"#, true),
        (#"["!=", "highway", "primary"]"#, false),
        (#"["!=", "missing", "x"]"#, true),
        (#"["<", "so_lan", 5]"#, true),
        (#"["<=", "so_lan", 4]"#, true),
        (#"[">", "width", 7.5]"#, false),
        (#"[">=", "width", 7.5]"#, true),
        (#"[">", "highway", 1]"#, false),
        (#"["<", "highway", "s"]"#, true),
        (#"["in", "highway", "primary", "secondary"]"#, true),
        (#"["in", "highway", "tertiary"]"#, false),
        (#"["in", "so_lan", 2, 4]"#, true),
        (#"["in", "so_lan", "4"]"#, false),
        (#"["!in", "highway", "service", "track"]"#, true),
        (#"["!in", "highway", "primary"]"#, false),
        (#"["has", "ten"]"#, true),
        (#"["!has", "ten"]"#, false),
        (#"["!has", "missing"]"#, true),
        (#"["==", "$type", "LineString"]"#, true),
        (#"["==", "$type", "Polygon"]"#, false),
        (#"["in", "$type", "Point", "LineString"]"#, true),
        (#"["==", "$id", 42]"#, true),
        (#"["has", "$id"]"#, true),
        (#"["has", "$type"]"#, true),
        (#"["all", ["==", "highway", "primary"], [">", "so_lan", 2]]"#, true),
        (#"["all", ["==", "highway", "primary"], [">", "so_lan", 5]]"#, false),
        (#"["any", ["==", "highway", "motorway"], ["==", "cau", 0]]"#, true),
        (#"["any", ["==", "highway", "motorway"], ["==", "cau", 1]]"#, false),
        (#"["none", ["==", "highway", "motorway"], ["==", "cau", 1]]"#, true),
        (#"["none", ["==", "highway", "primary"]]"#, false),
        (#"["all"]"#, true),
        (#"["any"]"#, false),
        (#"["none"]"#, true),
        (#"[]"#, true),
        (#"true"#, true),
        (#"false"#, false),
    ])
    func legacyFilter(_ text: String, _ expected: Bool) throws {
        let filter = try Self.filter(text)
        #expect(filter.matches(Self.road) == expected, "\(text)")
    }

    @Test(arguments: [
        (#"["==", ["get", "highway"], "primary"]"#, true),
        (#"["==", ["geometry-type"], "LineString"]"#, true),
        (#"["in", ["get", "highway"], ["literal", ["primary", "trunk"]]]"#, true),
        (#"["has", "ten"]"#, true),
        (#"["all", ["has", "ten"], true]"#, true),
        (#"["<", ["get", "highway"], 5]"#, false),
        (#"["get", "missing"]"#, false),
        (#"["==", ["id"], 42]"#, true),
    ])
    func expressionFilter(_ text: String, _ expected: Bool) throws {
        let filter = try Self.filter(text)
        #expect(filter.matches(Self.road) == expected, "\(text)")
    }

    @Test(arguments: [
        (#"true"#, true),
        (#"["has", "x"]"#, true),
        (#"["has", "$type"]"#, false),
        (#"["in", "x", 1, 2]"#, false),
        (#"["in", "x", ["literal", [1]]]"#, true),
        (#"["in", ["get", "x"], "abc"]"#, true),
        (#"["!in", "x", 1]"#, false),
        (#"["!has", "x"]"#, false),
        (#"["none", ["==", "x", 1]]"#, false),
        (#"["==", "x", 1]"#, false),
        (#"["==", ["get", "x"], 1]"#, true),
        (#"["==", "x"]"#, true),
        (#"["all", ["==", "x", 1], true]"#, false),
        (#"["all", ["==", ["get", "x"], 1], true]"#, true),
        (#"["any"]"#, true),
        (#"["get", "x"]"#, true),
        (#"[]"#, false),
    ])
    func isExpressionFilter(_ text: String, _ expected: Bool) throws {
        #expect(Filter.isExpressionFilter(try JSONParser.parse(Array(text.utf8))) == expected, "\(text)")
    }

    @Test func attributeKeys() throws {
        let filter = try Self.filter(#"["all", ["==", "highway", "primary"], ["in", "$type", "LineString"], ["!has", "cau"]]"#)
        #expect(filter.attributeKeys == ["highway", "cau"])
        #expect(!filter.isFeatureConstant)
    }

    @Test func unknownLegacyOperator() throws {
        #expect(throws: StyleIssue.self) { try Self.filter(#"["!==", "a", 1]"#) }
    }
}
