import CairnCore
import Foundation
import Testing
@testable import CairnStyle

/// `within` and `distance` on feature shapes given as the renderer gives them (EPSG:3857 metres or
/// degrees), with MapLibre's boundary rules.
struct GeometryExpressionTests {
    /// A 0.02° square around central Hải Phòng.
    static let square: JSONValue = .object([
        JSONMember(key: "type", value: .string("Polygon")),
        JSONMember(key: "coordinates", value: .array([.array([
            [106.67, 20.85], [106.69, 20.85], [106.69, 20.87], [106.67, 20.87], [106.67, 20.85],
        ].map { .array($0.map { .number($0) }) })])),
    ])

    static func evaluate(_ expression: JSONValue, _ geometry: Geometry, _ coordinates: FeatureGeometry.Coordinates) throws -> ExpressionValue {
        let compiled = try ExpressionParser().parse(expression, at: "")
        var context = EvaluationContext(zoom: 14, geometryType: geometry.kind)
        context.geometry = FeatureGeometry(geometry, coordinates: coordinates)
        return try compiled.evaluate(context)
    }

    /// EPSG:3857 metres of a longitude/latitude.
    static func metres(_ lon: Double, _ lat: Double) -> Point {
        let r = 6_378_137.0
        return Point(lon * .pi / 180 * r, log(tan(.pi / 4 + lat * .pi / 360)) * r)
    }

    @Test func pointsInsideAndOutside() throws {
        let within: JSONValue = .array([.string("within"), Self.square])
        #expect(try Self.evaluate(within, .points([Point(106.6826, 20.8561)]), .lonLat) == .boolean(true))
        #expect(try Self.evaluate(within, .points([Point(106.7, 20.84)]), .lonLat) == .boolean(false))
        #expect(try Self.evaluate(within, .points([Self.metres(106.6826, 20.8561)]), .webMercatorMetres) == .boolean(true))
        // Every point of a multi-point must be inside.
        #expect(try Self.evaluate(within, .points([Point(106.6826, 20.8561), Point(106.7, 20.84)]), .lonLat) == .boolean(false))
    }

    @Test func linesCrossingTheBoundaryAreNotWithin() throws {
        let within: JSONValue = .array([.string("within"), Self.square])
        #expect(try Self.evaluate(within, .lines([[Point(106.675, 20.855), Point(106.685, 20.865)]]), .lonLat) == .boolean(true))
        #expect(try Self.evaluate(within, .lines([[Point(106.675, 20.855), Point(106.70, 20.865)]]), .lonLat) == .boolean(false))
    }

    @Test func withoutAShapeNothingIsWithinAndDistanceIsNaN() throws {
        let within = try ExpressionParser().parse(.array([.string("within"), Self.square]), at: "")
        let distance = try ExpressionParser().parse(.array([.string("distance"), Self.square]), at: "")
        let context = EvaluationContext(zoom: 14, geometryType: .point)
        #expect(try within.evaluate(context) == .boolean(false))
        guard case .number(let d) = try distance.evaluate(context) else { Issue.record("distance is not a number"); return }
        #expect(d.isNaN)
    }

    @Test func distanceInMetres() throws {
        let point: JSONValue = .object([JSONMember(key: "type", value: .string("Point")),
                                        JSONMember(key: "coordinates", value: .array([.number(106.6826), .number(20.8561)]))])
        let distance: JSONValue = .array([.string("distance"), point])
        // 0.01° of latitude is about 1.1 km.
        guard case .number(let d) = try Self.evaluate(distance, .points([Point(106.6826, 20.8661)]), .lonLat) else {
            Issue.record("distance is not a number"); return
        }
        #expect(abs(d - 1106) < 5, "got \(d) m")
        // Inside the square: 0.
        let toSquare: JSONValue = .array([.string("distance"), Self.square])
        #expect(try Self.evaluate(toSquare, .points([Point(106.68, 20.86)]), .lonLat) == .number(0))
        // A line 0.01° east of the square's east edge, in metres given as EPSG:3857.
        let line = Geometry.lines([[Self.metres(106.70, 20.855), Self.metres(106.70, 20.865)]])
        guard case .number(let e) = try Self.evaluate(toSquare, line, .webMercatorMetres) else { Issue.record("not a number"); return }
        #expect(abs(e - 1041) < 10, "got \(e) m")
    }

    @Test func badGeoJSONIsACompileError() {
        #expect(throws: StyleIssue.self) { try ExpressionParser().parse(.array([.string("within"), .object([])]), at: "") }
        #expect(throws: StyleIssue.self) { try ExpressionParser().parse(.array([.string("distance"), .string("nowhere")]), at: "") }
    }
}
